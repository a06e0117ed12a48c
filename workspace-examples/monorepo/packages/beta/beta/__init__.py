"""beta: flat layout (beta/ next to pyproject.toml); uses alpha at run time."""

__version__ = "0.2.1"


def shout(name):
    from alpha import greet  # imported lazily: beta must build without alpha installed

    return greet(name).upper()
