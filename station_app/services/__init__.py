"""Use cases in plain Python, shared by the GUI and the CLI so no rule is written twice."""
