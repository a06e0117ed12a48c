"""src-layout: found by [tool.setuptools.packages.find] where = ["src"]."""

__version__ = "0.1.0"


def where():
    return "src layout"
