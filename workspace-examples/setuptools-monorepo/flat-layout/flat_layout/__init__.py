"""flat-layout: found by setuptools' automatic flat-layout discovery."""

__version__ = "0.1.0"


def where():
    from src_layout import where as other

    return "flat layout (next to %s)" % other()
