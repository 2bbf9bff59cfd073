"""Render a :class:`gutlens.analysis.change.Comparison` as a self-contained HTML page (or JSON).

Trend charts are inline SVG (no scripts, no external resources). Every change carries its verdict
in words — larger than usual, within usual variation, or no variability data — so nothing
depends on colour.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from gutlens.analysis.change import Comparison, MetricSeries
from gutlens.report.citations import shipped_citations
from gutlens.report.html import _environment, _template
from gutlens.report.i18n import Catalogue, catalogue
from gutlens.report.pdf import render_pdf
from gutlens.report.render import ReportOutputError

__all__ = ["render_comparison_html", "write_comparison"]

#: Citation keys (``report/data/citations.tsv``) the comparison page rests on.
COMPARE_CITATIONS = ("vandeputte2021", "pasolli2016", "porcari2025")
_GROUPS = ("alpha", "indices", "dysbiosis", "health_model", "guilds", "taxa")


def _label(series: MetricSeries, cat: Catalogue) -> str:
    group, _, name = series.key.partition(".")
    candidates = {
        "alpha": f"diversity.metric.{name}",
        "indices": f"indices.known.{name}.name",
        "guilds": f"guilds.known.{name}",
        "dysbiosis": "indices.dysbiosis.name",
        "health_model": "compare.metric.health_model",
    }
    key = candidates.get(group)
    if key and cat.has(key):
        return cat.t(key)
    return name.split(".", 1)[-1] if group == "taxa" else name


def _format(series: MetricSeries, value: float | None, cat: Catalogue) -> str:
    if value is None:
        return "–"
    if series.group in ("taxa", "guilds"):
        return cat.share(value)
    if series.key == "alpha.richness":
        return cat.integer(value)
    return cat.number(value, 2)


def _spark(series: MetricSeries, width: int = 240, height: int = 48) -> dict[str, Any]:
    """Points of a small line chart (SVG user units); missing values are skipped."""
    known = [(i, v) for i, v in enumerate(series.values) if v is not None]
    if not known:
        return {"points": [], "line": ""}
    low = min(v for _, v in known)
    high = max(v for _, v in known)
    span = high - low or 1.0
    steps = max(1, len(series.values) - 1)
    points = [
        {"x": 8 + (width - 16) * i / steps, "y": 8 + (height - 16) * (1 - (v - low) / span), "i": i}
        for i, v in known
    ]
    line = " ".join(f"{p['x']:.1f},{p['y']:.1f}" for p in points)
    return {"points": points, "line": line}


def _amount(series: MetricSeries, value: float, cat: Catalogue) -> str:
    """A difference of ``series``: percentage points for shares, the metric's units otherwise."""
    if series.group in ("taxa", "guilds"):
        return cat.t("compare.points", value=cat.number(value * 100, 1))
    return _format(series, value, cat)


def _verdict(series: MetricSeries, cat: Catalogue) -> tuple[str, str]:
    if series.change is None:
        return "none", cat.t("compare.verdict.missing")
    sign = "+" if series.change >= 0 else "−"
    change = f"{sign}{_amount(series, abs(series.change), cat)}"
    if series.exceeds is None or series.threshold is None:
        return "none", cat.t("compare.verdict.no_threshold", change=change)
    threshold = _amount(series, series.threshold, cat)
    key = "compare.verdict.larger" if series.exceeds else "compare.verdict.within"
    return ("larger" if series.exceeds else "within"), cat.t(
        key, change=change, threshold=threshold
    )


def render_comparison_html(comparison: Comparison, *, lang: str = "en") -> str:
    """The comparison as a complete HTML document."""
    cat = catalogue(lang)
    entries = shipped_citations()
    refs = [(n, key, entries[key]) for n, key in enumerate(COMPARE_CITATIONS, start=1)]
    numbers = {key: n for n, key, _ in refs}

    def cite(*keys: str) -> Markup:
        links = ", ".join(f'<a href="#ref-{numbers[k]}">{numbers[k]}</a>' for k in keys)
        return Markup(f' <span class="cite">[{links}]</span>')

    dates = [cat.date(d) if d is not None else cat.t("compare.no_date") for d in comparison.dates]
    groups = []
    for group in _GROUPS:
        rows = []
        for series in comparison.series:
            if series.group != group:
                continue
            kind, verdict = _verdict(series, cat)
            rows.append(
                {
                    "label": _label(series, cat),
                    "cells": [_format(series, v, cat) for v in series.values],
                    "spark": _spark(series),
                    "kind": kind,
                    "verdict": verdict,
                }
            )
        if rows:
            groups.append({"title": cat.t(f"compare.group.{group}"), "rows": rows})
    variability = comparison.variability
    return (
        _environment()
        .get_template("compare.html.j2")
        .render(
            c=comparison,
            lang=lang,
            t=cat.t,
            cite=cite,
            refs=refs,
            dates=dates,
            groups=groups,
            n_subjects=variability.n_subjects if variability is not None else 0,
            has_variability=variability is not None,
            css=Markup(_template("report.css") + _template("compare.css")),
        )
    )


def write_comparison(comparison: Comparison, out: str | Path, *, lang: str = "en") -> Path:
    """Write the comparison as .html, .pdf or .json, chosen by the suffix of ``out``."""
    path = Path(out)
    suffix = path.suffix.lower()
    if not path.parent.exists():
        msg = f"{path}: the folder {path.parent} does not exist"
        raise ReportOutputError(msg)
    if suffix in (".html", ".htm"):
        path.write_text(render_comparison_html(comparison, lang=lang), encoding="utf-8")
    elif suffix == ".json":
        text = json.dumps(comparison.to_dict(), ensure_ascii=False, indent=1) + "\n"
        path.write_text(text, encoding="utf-8")
    elif suffix == ".pdf":
        render_pdf(render_comparison_html(comparison, lang=lang), path)
    else:
        msg = f"{path}: cannot tell the format from suffix {path.suffix!r}; use .html/.pdf/.json"
        raise ReportOutputError(msg)
    return path
