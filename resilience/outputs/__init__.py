"""Output formats: each renders a Report in one format; only the terminal output knows Rich."""
