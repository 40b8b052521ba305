"""Synthetic province (placeholder docstring, replaced below)."""

from tenderwatch.synth.generate import SCALES, SynthSummary, generate

__all__ = ["SCALES", "SynthSummary", "generate"]
