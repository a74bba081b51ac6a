"""The built-in check catalogue: one module per check, grouped by domain (``backup/``, ...).

Installed as ``resilience.checks``. A check's id is its module name and its domain is its folder;
both are verified when the catalogue loads.
"""
