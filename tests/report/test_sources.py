"""Texts from data (study descriptions, food names, measures) are translated in Dutch reports."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from gutlens.report.i18n import Catalogue, load_sources

ROOT = Path(__file__).resolve().parents[2]


def _collector() -> ModuleType:
    path = ROOT / "scripts/collect_source_texts.py"
    spec = importlib.util.spec_from_file_location("collect_source_texts", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_source_text_a_dutch_report_can_show_is_translated(
    data_dir: Path, tmp_path: Path
) -> None:
    """Reports over real inputs x questionnaires x biomarkers, plus every meal-pool food and
    every intervention the knowledge base describes: nothing is left in English."""
    collector = _collector()
    assert (collector.INPUTS / collector.SAMPLES[0]).exists()
    missing = collector.missing("nl", tmp_path)
    assert sorted(missing) == []


def test_source_lookup_translates_marks_and_splits_sentences() -> None:
    nl = Catalogue("nl")
    assert nl.source("Bananas, raw") == "Bananen, rauw"
    one = (
        "You report bloating or gas: add this fibre gradually over a few weeks and go back a "
        "step if symptoms get worse."
    )
    two = (
        "Your diet excludes dairy: check that the product's carrier and capsule contain no "
        "milk-derived ingredients."
    )
    joined = nl.source(f"{one} {two}")
    assert joined == f"{nl.sources[one]} {nl.sources[two]}"
    assert nl.source("No such text.") == "No such text. (bron in het Engels)"
    assert nl.source("No such text.", mark=False) == "No such text."
    assert "No such text." in nl.untranslated
    en = Catalogue("en")
    assert en.source("Bananas, raw") == "Bananas, raw" and not en.untranslated


def test_sources_file_has_no_empty_entries() -> None:
    sources = load_sources("nl")
    assert len(sources) > 300
    assert [k for k, v in sources.items() if not v.strip()] == []
