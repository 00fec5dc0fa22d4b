"""PySide6 widgets, item models and themes: the only layer that knows widgets."""
