"""epsilon: independent of house-backend."""

__version__ = "0.1.0"
