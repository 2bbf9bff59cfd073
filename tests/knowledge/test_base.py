"""The shipped knowledge base: counts against the source tables, citations, lookups, validation."""

from __future__ import annotations

import csv
import json
import shutil
from importlib.resources import files
from pathlib import Path

import pytest

from gutlens.cli._app import run
from gutlens.knowledge import (
    KnowledgeBase,
    KnowledgeBaseError,
    load_knowledge_base,
    validate_knowledge_base,
)

PORCARI = "doi:10.1016/s2468-1253(24)00311-x"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.fixture(scope="session")
def knowledge_dir(data_dir: Path) -> Path:
    return data_dir / "knowledge"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_version_and_manifest(kb: KnowledgeBase) -> None:
    assert kb.version == "2026.11.2"
    assert len(kb.manifest.checksum) == 64
    assert kb.manifest.counts["facts"] == len(kb.facts)
    assert kb.manifest.counts["citations"] == len(kb.citations)
    with pytest.raises(KnowledgeBaseError, match=r"2026\.11\.2"):
        load_knowledge_base("1999.1.0")


def test_provenance_checksums_match_sources(knowledge_dir: Path) -> None:
    import hashlib

    prov = json.loads(files("gutlens.knowledge").joinpath("data/PROVENANCE.json").read_text())
    assert len(prov["sources"]) >= 14
    for src in prov["sources"]:
        if src["path"].startswith("scripts/"):  # gutlens' own curated tables, in this repo
            path = REPO / src["path"]
        else:
            path = knowledge_dir.parent.parent / src["path"].removeprefix("shared/")
        assert hashlib.sha256(path.read_bytes()).hexdigest() == src["sha256"], src["path"]


def test_every_identifier_comes_from_the_source_files(
    kb: KnowledgeBase, knowledge_dir: Path
) -> None:
    """No DOI or PMID was added from memory: each occurs in a shared knowledge file or in
    ``scripts/curated/citations.tsv`` (which records the URL where it was seen)."""
    paths = [*knowledge_dir.rglob("*"), REPO / "scripts/curated/citations.tsv"]
    text = "\n".join(
        p.read_text(encoding="utf-8", errors="replace").lower()
        for p in paths
        if p.suffix in (".tsv", ".md", ".csv") and p.stat().st_size < 5_000_000
    )
    for cit in kb.citations.values():
        assert cit.doi or cit.pmid
        if cit.doi:
            assert cit.doi.lower() in text, cit.key
        if cit.pmid:
            assert cit.pmid in text, cit.key


def test_guild_rows_match_curated_table(kb: KnowledgeBase, knowledge_dir: Path) -> None:
    rows = _rows(knowledge_dir / "curated_guilds/guild_members.tsv")
    assert len(kb.members) == len(rows) == 156
    # README: butyrate_producer has 16 distinct taxa over 20 rows
    butyrate = kb.guild_members("butyrate_producer")
    assert len(butyrate) == 20
    assert len({m.taxon for m in butyrate}) == 16
    assert len(kb.guilds()) == 22
    assert "butyrate_producer" in kb.guilds_of("Faecalibacterium prausnitzii")


def test_bugsigdb_facts(kb: KnowledgeBase) -> None:
    facts = [f for f in kb.facts if f.source == "bugsigdb_prerelease_2020"]
    pmids = {c for f in facts for c in f.citations if c.startswith("pmid:")}
    assert len(pmids) == 151  # README: 562 signatures from 151 PMIDs
    obesity = [f for f in facts if f.effect == "obesity"]
    assert obesity and all(f.areas == ("metabolism",) for f in obesity)
    eczema = [f for f in facts if f.effect == "atopic eczema"]
    assert eczema and all(set(f.areas) == {"skin", "immune"} for f in eczema)
    # case-control signatures are observational; randomised trials keep their grade
    assert {f.evidence_grade for f in facts} >= {"human-observational", "rct"}


def test_microbiomehd_and_health_sets(kb: KnowledgeBase, knowledge_dir: Path) -> None:
    mhd = [f for f in kb.facts if f.source == "microbiomehd_duvallet2017"]
    shared = [f for f in mhd if f.effect == "shared response across diseases"]
    assert len(shared) == 51  # README: 20 disease + 24 health + 7 mixed
    assert sum(f.direction == "health_associated" for f in shared) == 24
    assert len(mhd) - len(shared) == 80  # non-empty cells of file-S2
    gmhi = [f for f in kb.facts if f.source == "gmhi"]
    assert sum(f.direction == "health_associated" for f in gmhi) == 7
    assert sum(f.direction == "disease_associated" for f in gmhi) == 43
    asnicar = [f for f in kb.facts if f.source == "asnicar2021_health_species"]
    assert len(asnicar) == 21  # 29 rows, 8 without a species name


def test_consensus_on_fb_ratio_is_cited(kb: KnowledgeBase) -> None:
    porcari = kb.citation(PORCARI)
    assert porcari.pmid == "39647502"
    assert porcari.first_author == "Porcari"
    fb = kb.facts_about("firmicutes_bacteroidetes_ratio")
    assert any(PORCARI in f.citations and f.evidence_grade == "consensus" for f in fb)
    assert any("doi:10.3390/nu12051474" in f.citations for f in fb)  # Magne 2020


def test_interventions_lookup(kb: KnowledgeBase) -> None:
    bifido = kb.interventions_for("Bifidobacterium")
    assert any("doi:10.1093/ajcn/nqy041" in f.citations for f in bifido)  # So 2018
    down = kb.interventions_for("Bifidobacterium", directions=("decrease",))
    assert any(f.subject == "Low-FODMAP diet" for f in down)
    butyrate = kb.interventions_for("butyrate_producer")
    assert any(
        "Ruminococcus bromii" in f.targets or "Agathobacter rectalis" in f.targets for f in butyrate
    )
    not_captured = [
        f for f in kb.facts if f.subject_type == "intervention" and "Cochrane" in (f.summary or "")
    ]
    assert all(f.direction != "not_captured" for f in not_captured)


def test_canonical_and_food_lookup(kb: KnowledgeBase) -> None:
    assert kb.facts_about("Phocaeicola vulgatus")
    lentils = kb.food("16069")
    assert lentils.description == "Lentils, raw"
    assert lentils.fiber_g == pytest.approx(10.7)
    assert kb.portions["16069"][0].grams == pytest.approx(192.0)
    with pytest.raises(KnowledgeBaseError, match="99999"):
        kb.food("99999")


def test_shipped_base_validates() -> None:
    _, problems = validate_knowledge_base()
    assert problems == []


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    src = Path(str(files("gutlens.knowledge").joinpath("data")))
    dst = tmp_path / "data"
    shutil.copytree(src, dst)
    return dst


def _edit_facts(root: Path, edit) -> None:  # type: ignore[no-untyped-def]
    lines = (root / "facts.jsonl").read_text().splitlines()
    facts = [json.loads(x) for x in lines]
    facts = edit(facts)
    (root / "facts.jsonl").write_text("".join(json.dumps(f) + "\n" for f in facts))


def test_validate_finds_unknown_and_unused_citations(data_copy: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    def corrupt(facts: list[dict]) -> list[dict]:  # type: ignore[type-arg]
        facts[0]["citations"] = ["doi:10.9999/not-a-real-paper"]
        return [f for f in facts if "pmid:28038683" not in f["citations"]]

    _edit_facts(data_copy, corrupt)
    _, problems = validate_knowledge_base(data_copy)
    assert "fact curated-00001 cites unknown citation doi:10.9999/not-a-real-paper" in problems
    assert "citation pmid:28038683 is not used by any fact" in problems
    assert any("does not match MANIFEST.json" in p for p in problems)
    assert run(["kb", "validate", "--data", str(data_copy)]) == 1
    out = capsys.readouterr()
    assert "cites unknown citation doi:10.9999/not-a-real-paper" in out.out
    assert "knowledge base invalid" in out.err


def test_validate_refuses_citation_without_identifier(data_copy: Path) -> None:
    cites = json.loads((data_copy / "citations.json").read_text())
    cites[0].pop("doi", None)
    cites[0].pop("pmid", None)
    (data_copy / "citations.json").write_text(json.dumps(cites))
    with pytest.raises(KnowledgeBaseError, match="neither a DOI nor a PMID"):
        validate_knowledge_base(data_copy)


def test_validate_finds_duplicate_fact_ids(data_copy: Path) -> None:
    _edit_facts(data_copy, lambda facts: [*facts, facts[5]])
    _, problems = validate_knowledge_base(data_copy)
    sixth = json.loads((data_copy / "facts.jsonl").read_text().splitlines()[5])
    assert f"duplicate fact id {sixth['id']}" in problems


def test_evidence_for_low_and_high(kb: KnowledgeBase) -> None:
    low = kb.evidence_for("butyrate_producer", "low")
    # resistant-starch trials report more faecal butyrate / butyrate producers
    assert low.interventions
    assert all(
        f.kind in ("food", "fibre", "prebiotic", "probiotic_strain", "lifestyle")
        for f in low.interventions
    )
    assert any("doi:10.1186/s40168-016-0178-x" in f.citations for f in low.interventions)
    bifido = kb.evidence_for("Bifidobacterium", "low")
    assert "probiotic_genus" in bifido.guilds
    assert {f.evidence_grade for f in bifido.interventions} >= {"meta-analysis"}
    assert all(
        f.direction in ("lower_in_condition", "health_associated") for f in bifido.associations
    )
    assert "doi:10.1093/ajcn/nqy041" in bifido.citation_keys()
    high = kb.evidence_for("Escherichia coli", "high")
    assert "lps_proteobacteria_pathobiont" in high.guilds
    assert all(
        f.direction in ("higher_in_condition", "disease_associated") for f in high.associations
    )
    # medications (metformin raises Escherichia) are never offered as interventions
    assert all(f.kind != "medication" for f in high.interventions)
    with pytest.raises(KnowledgeBaseError, match="level must be"):
        kb.evidence_for("Bifidobacterium", "medium")


def test_curated_citations_record_where_they_were_seen(kb: KnowledgeBase) -> None:
    rows = _rows(REPO / "scripts/curated/citations.tsv")
    assert len(rows) == 9
    for row in rows:
        assert row["verified_url"].startswith("http"), row["doi"]
        key = f"doi:{row['doi'].lower()}" if row["doi"] else f"pmid:{row['pmid']}"
        cit = kb.citation(key)
        assert cit.title == row["title"]
        assert cit.pmid == (row["pmid"] or None)
    # a source seen without a DOI is cited by its PMID, with nothing more than was seen
    red_flags = kb.citation("pmid:22720303")
    assert red_flags.doi is None and red_flags.first_author is None and red_flags.year is None
    assert red_flags.title == '"Red flag" evaluation yield in irritable bowel syndrome'
    # with no author or year, the reference list names it by its title
    assert red_flags.label() == f"{red_flags.title} (PMID 22720303)"
    # AGA 2019 (Smalley) stays out: only its patient-summary DOI was ever seen
    assert not [c for c in kb.citations.values() if c.first_author == "Smalley"]


def test_calprotectin_has_a_cited_cut_off_and_siga_none(kb: KnowledgeBase) -> None:
    cal = kb.biomarkers["calprotectin"]
    assert (cal.low, cal.high) == (None, 50.0)
    assert set(cal.citations) == {"doi:10.1111/apt.17754", "doi:10.5694/mja2.50384"}
    assert "positive predictive value only 9%" in cal.limitations
    iga = kb.biomarkers["secretory_iga"]
    assert (iga.low, iga.high, iga.citations) == (None, None, ())
    assert "No peer-reviewed reference interval" in iga.range_note
