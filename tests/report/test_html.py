"""The HTML: self-contained, every section and citation resolves, loads cleanly in Chromium."""

from __future__ import annotations

import re
from pathlib import Path

from gutlens.report import Report, render_html
from tests.report.conftest import chromium_console

# attributes and CSS that would make a browser fetch something
_LOADS = re.compile(
    r"""(?:\b(?:src|srcset|poster|data|action|formaction)\s*=\s*["']?(?!#)[^"'\s>]+)"""
    r"""|(?:\bhref\s*=\s*["'](?!#)[^"']*["'])"""
    r"""|(?:url\(\s*["']?(?!#)[^)]*\))"""
    r"""|(?:@import)""",
    re.IGNORECASE,
)


def test_no_external_loads(reports: dict[tuple[str, str], Report], bare_report: Report) -> None:
    for report in [*reports.values(), bare_report]:
        html = render_html(report)
        assert _LOADS.findall(html) == []
        assert "<script" not in html


def test_the_external_load_check_can_fail() -> None:
    bad = (
        '<img src="https://cdn.example/x.png"><a href="http://x">x</a>'
        '<i style="background:url(a.png)">'
    )
    assert len(_LOADS.findall(bad)) == 3


def test_every_section_and_citation_resolves(reports: dict[tuple[str, str], Report]) -> None:
    for report in reports.values():
        html = render_html(report)
        for section in report.sections:
            assert f'<section id="sec-{section.id}"' in html
            assert f'href="#sec-{section.id}"' in html
        anchors = set(re.findall(r'<li id="ref-(\d+)"', html))
        assert anchors == {str(r.number) for r in report.references}
        cited = set(re.findall(r'<a href="#ref-(\d+)">\1</a>', html))
        assert cited == anchors
        for ref in report.references:
            assert (ref.doi or ref.pmid or "") in html


def test_charts_are_labelled(full_html: str) -> None:
    assert full_html.count("<figure") == full_html.count("<figcaption>")
    for svg in re.findall(r"<svg[^>]*>", full_html):
        assert 'aria-hidden="true"' in svg or "aria-label" in svg or "aria-labelledby" in svg
    assert 'role="img" aria-label="Shares of the sample: Bacteroides 30.8%' in full_html
    assert "Highest quarter" in full_html  # bands are named in text, not by colour alone


def test_html_loads_in_chromium_without_console_errors(full_html: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(full_html, encoding="utf-8")
    dom, console = chromium_console(page, tmp_path)
    assert console == ""
    assert 'id="sec-guilds"' in dom
    assert "Butyrate producers" in dom


def test_console_check_sees_errors(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text("<html><body><script>notDefined()</script></body></html>")
    _, console = chromium_console(page, tmp_path)
    assert "notDefined is not defined" in console
