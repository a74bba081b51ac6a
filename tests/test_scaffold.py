"""``resilience init``: starter files that validate, teach the format, and never overwrite."""

from __future__ import annotations

import re

import pytest

from resilience.config import Config, load_config
from resilience.errors import InputError, UsageError
from resilience.pipeline import EstateRequest, load_estate
from resilience.policy import default_policy_text, load_policy
from resilience.scaffold import STARTER_FILES, starter_text, write_starter
from resilience.yamlfile import parse_yaml, validate_document
from tests.cli_helpers import assert_clean_error, run_cli


def test_writes_three_files_into_a_new_folder(tmp_path):
    folder = tmp_path / "new" / "estate"
    paths = write_starter(folder, force=False)
    assert [p.name for p in paths] == list(STARTER_FILES)
    assert all(p.is_file() for p in paths)
    assert (folder / "policy.yaml").read_text() == default_policy_text()
    assert load_policy(folder / "policy.yaml").tiers[1].name == "Critical"
    assert not list(folder.glob(".*.tmp"))  # atomic writes leave no temporary files


def test_starter_estate_loads_and_uses_every_section(tmp_path):
    write_starter(tmp_path, force=False)
    loaded = load_estate(EstateRequest(config=tmp_path / "resilience.yaml"))
    estate = loaded.estate
    for section in ("services", "systems", "backups", "accounts", "trust_domains", "plans",
                    "suppliers"):
        assert getattr(estate, section), section
    assert any(b.declared_at.line for b in estate.backups)  # nested under their systems
    assert loaded.config.config.policy == "policy.yaml"
    text = starter_text("estate.yaml")
    assert text.count("#") > 20  # it teaches, in comments


def test_commented_options_in_the_starter_config_are_real_keys():
    """Uncomment every example in resilience.yaml: it must still be a valid configuration."""
    text = starter_text("resilience.yaml")
    uncommented = re.sub(r"(?m)^(\s*)# ((?:[a-z_]+:|- |\s{2,}).*)$", r"\1\2", text)
    assert uncommented != text
    config = validate_document(Config, parse_yaml(uncommented, "resilience.yaml"),
                               what="a configuration")
    assert config.sources.ad and config.sources.aws and config.sources.azure
    assert config.sources.ad[0].group_members and config.waivers


def test_refuses_to_overwrite_and_writes_nothing(tmp_path):
    (tmp_path / "estate.yaml").write_text("mine\n")
    with pytest.raises(UsageError) as info:
        write_starter(tmp_path, force=False)
    assert "estate.yaml" in str(info.value) and "--force" in str(info.value)
    assert (tmp_path / "estate.yaml").read_text() == "mine\n"
    assert not (tmp_path / "resilience.yaml").exists()
    assert not (tmp_path / "policy.yaml").exists()


def test_force_overwrites(tmp_path):
    (tmp_path / "estate.yaml").write_text("mine\n")
    write_starter(tmp_path, force=True)
    assert (tmp_path / "estate.yaml").read_text() == starter_text("estate.yaml")


def test_folder_that_is_a_file(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(InputError):
        write_starter(target, force=False)


def test_existing_folder_in_the_way_even_with_force(tmp_path):
    (tmp_path / "policy.yaml").mkdir()
    with pytest.raises(InputError):
        write_starter(tmp_path, force=True)
    assert not (tmp_path / "resilience.yaml").exists()


@pytest.mark.slow
def test_cli_init_then_check(tmp_path):
    target = tmp_path / "council"
    proc = run_cli("init", "council", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "council/resilience.yaml" in proc.stdout and "Next:" in proc.stdout
    assert_clean_error(run_cli("init", "council", cwd=tmp_path), "already exist", "--force")
    assert run_cli("init", "council", "--force", cwd=tmp_path).returncode == 0
    config = load_config(target / "resilience.yaml").config
    assert config.sources.onprem == ["estate.yaml"]
    check = run_cli("check", "--config", str(target / "resilience.yaml"))
    assert check.returncode in (0, 1), check.stderr
    assert "Traceback" not in check.stderr


def _json_ready(value):
    """YAML dates as the ISO strings an editor's schema validator sees."""
    from datetime import date

    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_ready(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


@pytest.mark.parametrize("package_path", [("starter", "estate.yaml"), ("demo", "estate.yaml"),
                                          ("starter", "resilience.yaml"),
                                          ("demo", "resilience.yaml")])
def test_shipped_examples_match_the_published_json_schema(package_path):
    """What `resilience schema` gives editors agrees with the files we ship."""
    from importlib import resources

    import jsonschema
    import yaml

    from resilience.schemas import schema_for

    text = resources.files("resilience.data").joinpath(*package_path).read_text("utf-8")
    kind = "estate" if package_path[1] == "estate.yaml" else "config"
    jsonschema.validate(_json_ready(yaml.safe_load(text)), schema_for(kind))
