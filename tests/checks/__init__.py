"""Focused tests of individual checks."""
