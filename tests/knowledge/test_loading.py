"""The fast loader of the shipped knowledge base gives the same objects as the validating one."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from gutlens.knowledge import KnowledgeBaseError, load_knowledge_base, read_knowledge_base
from gutlens.knowledge._base import _data_root, _load


def test_fast_path_equals_validating_path() -> None:
    fast = load_knowledge_base()
    full = read_knowledge_base(_data_root())
    assert type(fast.foods).__name__ == "_Deferred"  # the fast path really is the lazy one
    assert fast.manifest == full.manifest
    assert fast.citations == full.citations
    assert fast.facts == full.facts
    assert fast.members == full.members
    assert fast.biomarkers == full.biomarkers
    assert fast.data_sources == full.data_sources
    assert fast._by_name == full._by_name
    # the food tables are read on first use, then equal record for record
    assert len(fast.foods) == len(full.foods) == fast.manifest.counts["foods"] == 8789
    assert dict(fast.foods) == dict(full.foods)
    assert dict(fast.portions) == dict(full.portions)
    assert sum(map(len, fast.portions.values())) == fast.manifest.counts["portions"]
    assert fast == full
    # USDA SR28 16069 (shared/data/knowledge/usda_sr28): lentils, raw, 10.7 g fibre/100 g,
    # portions 1 cup = 192 g and 1 tablespoon = 12 g
    lentils = fast.food("16069")
    assert lentils.description == "Lentils, raw"
    assert lentils.fiber_g == pytest.approx(10.7)
    assert [p.grams for p in fast.portions["16069"]] == [192.0, 12.0]


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    shutil.copytree(Path(str(_data_root())), root)
    return root


def test_fast_path_still_validates_records(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    lines = (root / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    fact = json.loads(lines[0])
    fact["evidence_grade"] = "anecdote"
    (root / "facts.jsonl").write_text(
        "\n".join([json.dumps(fact), *lines[1:]]) + "\n", encoding="utf-8"
    )
    with pytest.raises(KnowledgeBaseError, match="evidence_grade"):
        _load(root)
    with pytest.raises(KnowledgeBaseError, match="evidence_grade"):
        read_knowledge_base(root)


def test_damaged_food_record_raises_when_used(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    tables = json.loads(gzip.decompress((root / "foods.json.gz").read_bytes()))
    (lentils,) = [f for f in tables["foods"] if f["ndb_no"] == "16069"]
    lentils["fiber_g"] = "plenty"
    (root / "foods.json.gz").write_bytes(gzip.compress(json.dumps(tables).encode()))
    base = _load(root)  # facts and citations are fine
    assert len(base.facts) == base.manifest.counts["facts"]
    assert base.food("01001").description == "Butter, salted"  # other records are fine
    with pytest.raises(KnowledgeBaseError, match="fiber_g"):
        base.food("16069")
    with pytest.raises(KnowledgeBaseError, match="fiber_g"):
        read_knowledge_base(root)  # the validating path refuses the whole base


def test_unreadable_food_table(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / "foods.json.gz").write_bytes(gzip.compress(b'{"foods": [], "portion'))
    base = _load(root)
    with pytest.raises(KnowledgeBaseError, match="food tables unreadable"):
        base.food("16069")
