# No pyproject.toml: PEP 517 frontends use setuptools.build_meta:__legacy__,
# which runs this file.  The metadata lives in setup.cfg.
from setuptools import setup

setup()
