"""Built-in continuity checks."""
