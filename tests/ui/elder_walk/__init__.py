"""The acceptance walk of issue 12: every page and dialog, both looks, both languages."""
