"""The model library: one module per detection model (C01–C33 of DOMAIN.md §9).

Each ``cNN_<name>.py`` module defines exactly one ``DetectionModel`` subclass. ``MODELS`` collects
them in id order by scanning this package, so adding a model is adding its module (plus its generated
page under ``docs/models/`` and its tests); the engine, the CLI, the docs and the tests all read
``MODELS``.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

from tenderwatch.engine.base import DetectionModel

_MODULE = re.compile(r"^c\d\d_\w+$")


def _discover() -> tuple[type[DetectionModel], ...]:
    found: list[type[DetectionModel]] = []
    for info in pkgutil.iter_modules(__path__):
        if not _MODULE.match(info.name):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        classes = [
            value
            for value in vars(module).values()
            if isinstance(value, type)
            and issubclass(value, DetectionModel)
            and value is not DetectionModel
            and value.__module__ == module.__name__
        ]
        if len(classes) != 1:
            raise ImportError(f"{info.name} must define exactly one DetectionModel, found {len(classes)}")
        found.append(classes[0])
    ids = [m.ID for m in found]
    if len(ids) != len(set(ids)):
        raise ImportError(f"duplicate model ids: {sorted(ids)}")
    return tuple(sorted(found, key=lambda m: m.ID))


MODELS: tuple[type[DetectionModel], ...] = _discover()


def get_model(model_id: str) -> type[DetectionModel]:
    for model in MODELS:
        if model_id.upper() == model.ID:
            return model
    raise KeyError(model_id)
