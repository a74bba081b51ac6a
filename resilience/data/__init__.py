"""Data files shipped with the tool: default policy, lessons, frameworks, demo estate."""
