"""Built-in backup checks."""
