"""``gutlens kb validate`` and ``gutlens kb show``."""

from __future__ import annotations

import pytest

from gutlens.cli._app import run


def test_kb_validate_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "validate"]) == 0
    out = capsys.readouterr().out
    assert "knowledge base 2026.11.2 ok" in out
    assert "citations 296" in out
    assert "guild rows 156" in out
    assert "facts per area: digestive" in out


def test_kb_show_taxon_uses_canonical_name(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "show", "Bacteroides vulgatus", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "Phocaeicola vulgatus" in out
    assert "current name of Bacteroides vulgatus" in out
    assert "source: PMID" in out


def test_kb_show_taxon_with_guild(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "show", "Faecalibacterium prausnitzii"]) == 0
    out = capsys.readouterr().out
    assert "guilds: butyrate_producer" in out
    assert "Duncan 2002" in out
    assert "doi:10.1128/AEM.68.10.5186-5190.2002" in out


def test_kb_show_guild(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "show", "mucin degrader"]) == 0
    out = capsys.readouterr().out
    assert "guild mucin_degrader" in out
    assert "10 taxa, 11 rows" in out  # curated_guilds README: 10 taxa, 11 rows
    assert "Akkermansia muciniphila" in out


def test_kb_show_food(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "show", "lentils raw"]) == 0
    out = capsys.readouterr().out
    assert "Lentils, raw (NDB 16069)" in out
    assert "fibre 10.7 g" in out
    assert "1 cup = 192 g" in out
    assert "Standard Reference, Release 28" in out


def test_kb_show_unknown(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "show", "zzqx nothing"]) == 1
    assert "knows nothing about 'zzqx nothing'" in capsys.readouterr().err
