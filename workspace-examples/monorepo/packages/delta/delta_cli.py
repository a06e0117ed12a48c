"""delta_cli: a single-module top-level entry in [tool.house].packages."""

from delta import banner


def main():
    print(banner())
