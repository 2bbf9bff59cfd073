"""The JSON Schema of the report's JSON form (shipped as ``schema/report-v1.schema.json``)."""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from gutlens.report.model import REPORT_FORMAT_VERSION, Report

__all__ = ["SCHEMA_FILE", "report_json_schema", "schema_text", "shipped_schema"]

SCHEMA_FILE = f"schema/report-v{REPORT_FORMAT_VERSION}.schema.json"


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema generated from :class:`Report` (serialisation mode)."""
    schema = Report.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://gutlens.invalid/schema/report-v{REPORT_FORMAT_VERSION}.schema.json",
        "x-format-version": REPORT_FORMAT_VERSION,
        **schema,
    }


def schema_text() -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(report_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def shipped_schema() -> str:
    """Text of the shipped schema file."""
    return files("gutlens.report").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
