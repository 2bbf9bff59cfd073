"""Write a :class:`Report` as HTML, PDF or JSON, chosen by the output file's suffix."""

from __future__ import annotations

import json
from pathlib import Path

from gutlens.errors import GutlensError
from gutlens.report.html import render_html
from gutlens.report.model import Report
from gutlens.report.pdf import render_pdf

__all__ = [
    "FORMATS",
    "ReportOutputError",
    "render_html",
    "render_pdf",
    "report_json",
    "write_report",
]

#: Output suffix -> format name.
FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".json": "json"}


class ReportOutputError(GutlensError, ValueError):
    """The output path does not name a format gutlens can write."""


def report_json(report: Report) -> str:
    """The report as JSON text (schema: ``schema/report-v1.schema.json``)."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1) + "\n"


def write_report(report: Report, out: str | Path) -> Path:
    """Write ``report`` to ``out`` in the format its suffix names (.html, .pdf, .json)."""
    path = Path(out)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        msg = (
            f"{path}: cannot tell the report format from suffix {path.suffix!r}; "
            "use .html, .pdf or .json"
        )
        raise ReportOutputError(msg)
    if not path.parent.exists():
        msg = f"{path}: the folder {path.parent} does not exist"
        raise ReportOutputError(msg)
    if kind == "html":
        path.write_text(render_html(report), encoding="utf-8")
    elif kind == "json":
        path.write_text(report_json(report), encoding="utf-8")
    else:
        render_pdf(render_html(report), path)
    return path
