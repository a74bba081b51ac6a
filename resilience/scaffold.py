"""``resilience init``: write a commented starter configuration, policy and estate file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from resilience.atomic import write_text_atomic
from resilience.errors import InputError, UsageError
from resilience.policy import default_policy_text

STARTER_FILES = ("resilience.yaml", "policy.yaml", "estate.yaml")


def starter_text(name: str) -> str:
    """The text of one starter file (the policy is the shipped default policy)."""
    if name == "policy.yaml":
        return default_policy_text()
    return (resources.files("resilience.data").joinpath("starter", name)
            .read_text(encoding="utf-8"))


def write_starter(folder: Path, force: bool) -> list[Path]:
    """Write the starter files into ``folder`` and return their paths.

    Refuses, writing nothing, when any of them exists and ``force`` is not set."""
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file; `resilience init` needs a folder to write into",
                         path=str(folder))
    targets = [folder / name for name in STARTER_FILES]
    existing = [p for p in targets if p.exists() or p.is_symlink()]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise UsageError(f"{names} already exist{'s' if len(existing) == 1 else ''}; nothing "
                         "was written. Use --force to overwrite, or choose another folder.")
    for path in existing:
        if path.is_dir():
            raise InputError("is a folder, so it cannot be overwritten with a file",
                             path=str(path))
    texts = {p: starter_text(p.name) for p in targets}  # read every template before writing
    for path, text in texts.items():
        write_text_atomic(path, text)
    return targets
