"""Render a :class:`Report` as one self-contained HTML file (inline CSS and SVG, no scripts,
no external resources)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from gutlens.report._cache import template_cache
from gutlens.report.i18n import catalogue
from gutlens.report.model import BarItem, Report

if TYPE_CHECKING:
    from jinja2 import Environment

__all__ = ["render_html"]

#: Segment colours for composition bars (dark enough for white gaps and labels; every segment is
#: also named in the legend with its share, so colour is never the only cue).
PALETTE = ("#1b6e6a", "#c47a1c", "#3c6fae", "#a8486e", "#5d7d1f", "#6f5a9e", "#8c5a3c")


def _template(name: str) -> str:
    return files("gutlens.report").joinpath(f"templates/{name}").read_text(encoding="utf-8")


def _source(name: str) -> tuple[str, str, Any]:
    """Template source, a file name (the key of the compiled-code cache) and "always fresh"."""
    resource = files("gutlens.report").joinpath(f"templates/{name}")
    return resource.read_text(encoding="utf-8"), str(resource), lambda: True


@cache
def _environment() -> Environment:
    """The Jinja environment (created on first use; compiled templates cached per user)."""
    from jinja2 import Environment, FunctionLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FunctionLoader(_source),
        bytecode_cache=template_cache(),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["pct"] = lambda value: f"{float(value):.2f}%"
    env.filters["css_string"] = _css_string
    return env


def _css_string(text: str) -> Markup:
    """A CSS string literal (for ``@page`` margin boxes inside ``<style>``)."""
    cleaned = "".join(ch for ch in str(text) if ch >= " ").replace("\\", "\\\\").replace('"', '\\"')
    return Markup('"' + cleaned.replace("<", "\\3c ") + '"')


def _stack(items: list[BarItem]) -> list[dict[str, Any]]:
    """Segments of a stacked bar: item, x offset and width in percent, fill."""
    out, x = [], 0.0
    colours = iter(PALETTE)
    for item in items:
        width = item.share * 100
        fill = next(colours, PALETTE[-1]) if item.kind == "taxon" else f"url(#gl-{item.kind})"
        out.append({"item": item, "x": x, "width": width, "fill": fill})
        x += width
    return out


def render_html(report: Report) -> str:
    """The report as a complete HTML document (a string)."""
    cat = catalogue(report.language)
    numbers = {ref.key: ref.number for ref in report.references}

    def cite(keys: list[str]) -> Markup:
        if not keys:
            return Markup("")
        links = ", ".join(
            f'<a href="#ref-{numbers[k]}">{numbers[k]}</a>'
            for k in sorted(keys, key=lambda k: numbers[k])
        )
        label = escape(cat.t("ui.cites", numbers=", ".join(str(numbers[k]) for k in keys)))
        return Markup(f' <span class="cite" aria-label="{label}">[{links}]</span>')

    css = _template("report.css")
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            r=report,
            t=cat.t,
            cite=cite,
            stack=_stack,
            css=Markup(css),
            section_title=lambda sid: cat.t(
                f"section.{sid}" if cat.has(f"section.{sid}") else f"{sid}.title"
            ),
        )
    )
