"""OCDS Cardinal parity: `ocds indicators`, `ocds prepare`, `ocds init`, `ocds coverage`."""
