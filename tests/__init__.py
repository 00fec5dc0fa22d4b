"""The test suite is a package (each folder has an ``__init__.py``) so that its modules have
one name each (``tests.sync.conftest``, ``tests.helpers.backend``): mypy can type-check the
whole folder, and pytest's ``--import-mode=importlib`` imports them under the same names."""
