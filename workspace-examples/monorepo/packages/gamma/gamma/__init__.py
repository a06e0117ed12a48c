"""gamma: built without an sdist ([tool.house] sdist = false)."""

__version__ = "1.0.0"
