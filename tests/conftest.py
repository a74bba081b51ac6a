"""Shared test setup: keep every run's history database out of the real user data folder."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_user_data(tmp_path_factory, monkeypatch):
    # `resilience check` records history in the user data folder by default (platformdirs
    # honours XDG_DATA_HOME); subprocesses inherit the environment.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
