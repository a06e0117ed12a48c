"""delta: reads its packaged data file."""

import os

__version__ = "2.0.0rc1"


def banner():
    path = os.path.join(os.path.dirname(__file__), "data", "banner.txt")
    with open(path, encoding="utf-8") as handle:
        return handle.read().strip()
