"""Oversight of the overseers (监督的再监督): analytics, conflicts of interest, re-verification sampling."""
