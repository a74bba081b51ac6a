"""The check engine: the check interface, the catalogue registry, and evaluation into a Report."""
