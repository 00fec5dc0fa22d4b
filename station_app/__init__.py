"""Red Station (红色驿站服务终端): offline-first service terminal for community stations."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("red-station")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
