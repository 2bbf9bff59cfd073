"""The report: ``build_report`` turns a Profile (+ Results) into a :class:`Report` (pure data);
``render_html``, ``render_pdf`` and ``report_json`` lay it out; ``write_report`` picks the
format from the output file's suffix."""

from gutlens.report.build import build_report
from gutlens.report.model import REPORT_FORMAT_VERSION, Report
from gutlens.report.render import render_html, render_pdf, report_json, write_report

__all__ = [
    "REPORT_FORMAT_VERSION",
    "Report",
    "build_report",
    "render_html",
    "render_pdf",
    "report_json",
    "write_report",
]
