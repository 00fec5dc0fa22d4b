"""The reader tests use the stand-in libraries of tests/helpers/standin_reader.py (its
fixtures are registered suite-wide in tests/conftest.py)."""

from __future__ import annotations

from tests.helpers.standin_reader import PlaceCard, scenario_env

__all__ = ["PlaceCard", "scenario_env"]
