"""The model library: one module per detection model (C01–C33 of DOMAIN.md §9).

A new model is a module with one ``DetectionModel`` subclass, added to ``MODELS`` below, a page under
``docs/models/`` (generated) and a fixture test. ``MODELS`` is the one registry: the engine, the CLI,
the docs generator and the tests all read it.
"""

from __future__ import annotations

from tenderwatch.detection.c01_same_machine import SameMachine
from tenderwatch.engine.base import DetectionModel

MODELS: tuple[type[DetectionModel], ...] = (SameMachine,)


def get_model(model_id: str) -> type[DetectionModel]:
    for model in MODELS:
        if model_id.upper() == model.ID:
            return model
    raise KeyError(model_id)
