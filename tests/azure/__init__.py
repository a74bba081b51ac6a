"""Tests of the Azure source against a local HTTPS fake of ARM."""
