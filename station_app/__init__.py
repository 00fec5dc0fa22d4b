"""Red Station (红色驿站服务终端): offline-first service terminal for community stations."""

__version__ = "0.1.0"
"""The one place the version is written: pyproject.toml reads it (setuptools' ``attr``) and so
does packaging/build.sh. Written out rather than looked up in the installed metadata: a
source tree, an installed package and a frozen build read it the same way, and no start
searches the installed distributions for it."""

__all__ = ["__version__"]
