"""legacy: built through the PEP 517 fallback backend (setup.py only)."""

__version__ = "0.1.0"
