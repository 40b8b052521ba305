"""OCDS: import and export of compiled releases, and the red-flag indicators (OCDS Cardinal parity)."""
