"""Benchmarks behind ``tenderwatch bench``: they print figures and never assert a time."""
