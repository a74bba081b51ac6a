"""Built-in identity checks."""
