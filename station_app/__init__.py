"""Red Station (红色驿站服务终端): offline-first service terminal for community stations."""

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it (setuptools' ``attr``) and so
does packaging/build.sh. Written out rather than looked up in the installed metadata, which
costs every start a tenth of its time importing ``importlib.metadata``."""

__all__ = ["__version__"]
