"""JSON Schemas generated from the models, for editors and for validating outputs."""

from __future__ import annotations

from resilience.errors import UsageError


def schema_for(kind: str) -> dict:
    """The JSON Schema of one of the user-facing files or outputs."""
    from resilience.config import Config
    from resilience.engine.report import Report
    from resilience.model import Estate
    from resilience.policy import Policy
    from resilience.scenarios.interface import Scenario
    from resilience.sources.onprem import EstateFile
    from resilience.waivers import WaiverFile

    models = {
        "estate": (EstateFile, "validation"),
        "policy": (Policy, "validation"),
        "config": (Config, "validation"),
        "scenario": (Scenario, "validation"),
        "waivers": (WaiverFile, "validation"),
        "snapshot": (Estate, "serialization"),
        "report": (Report, "serialization"),
    }
    if kind not in models:
        raise UsageError(f"unknown schema '{kind}'; choose from {', '.join(models)}")
    model, mode = models[kind]
    schema = model.model_json_schema(mode=mode)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema.setdefault("title", f"resilience {kind}")
    return schema
