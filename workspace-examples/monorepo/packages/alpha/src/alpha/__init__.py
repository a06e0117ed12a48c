"""alpha: the bottom of the example dependency graph."""

from .core import greet

__version__ = "0.3.0"
__all__ = ["greet"]
