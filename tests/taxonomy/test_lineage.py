"""Lineage parsing across the naming styles of the real input files."""

from __future__ import annotations

import pytest

from gutlens.taxonomy import Lineage, canonical_lineage, canonical_name, parse_lineage


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "k__Bacteria|p__Firmicutes|c__Clostridia|o__Clostridiales|f__Ruminococcaceae"
            "|g__Faecalibacterium|s__Faecalibacterium_prausnitzii",
            [
                ("kingdom", "Bacteria"),
                ("phylum", "Firmicutes"),
                ("class", "Clostridia"),
                ("order", "Clostridiales"),
                ("family", "Ruminococcaceae"),
                ("genus", "Faecalibacterium"),
                ("species", "Faecalibacterium prausnitzii"),
            ],
        ),
        (  # MetaPhlAn 4 SGB level
            "k__Bacteria|p__Firmicutes|c__Clostridia|o__Eubacteriales|f__Lachnospiraceae"
            "|g__Blautia|s__Blautia_wexlerae|t__SGB4837",
            [
                ("kingdom", "Bacteria"),
                ("phylum", "Firmicutes"),
                ("class", "Clostridia"),
                ("order", "Eubacteriales"),
                ("family", "Lachnospiraceae"),
                ("genus", "Blautia"),
                ("species", "Blautia wexlerae"),
                ("strain", "SGB4837"),
            ],
        ),
        (  # SILVA 138 / QIIME 2
            "d__Bacteria; p__Firmicutes; c__Clostridia; o__Oscillospirales;"
            " f__Ruminococcaceae; g__Faecalibacterium",
            [
                ("kingdom", "Bacteria"),
                ("phylum", "Firmicutes"),
                ("class", "Clostridia"),
                ("order", "Oscillospirales"),
                ("family", "Ruminococcaceae"),
                ("genus", "Faecalibacterium"),
            ],
        ),
        (  # Greengenes with empty levels and leading spaces (American Gut BIOM)
            "k__Bacteria; p__Proteobacteria; c__Betaproteobacteria; o__Neisseriales;"
            " f__Neisseriaceae; g__; s__",
            [
                ("kingdom", "Bacteria"),
                ("phylum", "Proteobacteria"),
                ("class", "Betaproteobacteria"),
                ("order", "Neisseriales"),
                ("family", "Neisseriaceae"),
            ],
        ),
        (  # GTDB suffixes
            "d__Bacteria;p__Firmicutes_A;c__Clostridia;o__Oscillospirales;"
            "f__Ruminococcaceae;g__Faecalibacterium_A",
            [
                ("kingdom", "Bacteria"),
                ("phylum", "Firmicutes"),
                ("class", "Clostridia"),
                ("order", "Oscillospirales"),
                ("family", "Ruminococcaceae"),
                ("genus", "Faecalibacterium"),
            ],
        ),
        (  # SILVA 132 D_n__ style
            "D_0__Bacteria;D_1__Bacteroidetes;D_2__Bacteroidia;D_3__Bacteroidales;"
            "D_4__Bacteroidaceae;D_5__Bacteroides",
            [
                ("kingdom", "Bacteria"),
                ("phylum", "Bacteroidetes"),
                ("class", "Bacteroidia"),
                ("order", "Bacteroidales"),
                ("family", "Bacteroidaceae"),
                ("genus", "Bacteroides"),
            ],
        ),
        (  # DADA2 / RDP positional header
            "Bacteria;Bacillota;Clostridia;Eubacteriales;Oscillospiraceae;Ruminococcoides;",
            [
                ("kingdom", "Bacteria"),
                ("phylum", "Bacillota"),
                ("class", "Clostridia"),
                ("order", "Eubacteriales"),
                ("family", "Oscillospiraceae"),
                ("genus", "Ruminococcoides"),
            ],
        ),
    ],
)
def test_parse_lineage_styles(text: str, expected: list[tuple[str, str]]) -> None:
    assert list(parse_lineage(text).levels) == expected


def test_dada2_rank_columns_join_species_epithet() -> None:
    lineage = Lineage.from_mapping(
        {
            "Kingdom": "Bacteria",
            "Phylum": "Firmicutes",
            "Genus": "Faecalibacterium",
            "Species": "NA",
        }
    )
    assert lineage.rank == "genus"
    lineage = parse_lineage(
        [
            "Bacteria",
            "Firmicutes",
            "Clostridia",
            "Oscillospirales",
            "Ruminococcaceae",
            "Faecalibacterium",
            "prausnitzii",
        ]
    )
    assert lineage.name == "Faecalibacterium prausnitzii"


def test_lineage_string_round_trip() -> None:
    text = "k__Bacteria|p__Firmicutes|f__Lachnospiraceae|s__Lachnospiraceae_bacterium_GAM79"
    lineage = parse_lineage(text)
    assert str(lineage) == text
    assert lineage.get("genus") is None
    assert str(lineage.truncate("phylum")) == "k__Bacteria|p__Firmicutes"


def test_bracketed_species_lose_brackets_but_bracketed_genera_keep_them() -> None:
    # NCBI's "[Ruminococcus] gnavus" is the species Ruminococcus gnavus ...
    assert parse_lineage("s__[Ruminococcus]_gnavus").name == "Ruminococcus gnavus"
    # ... but Greengenes' genus "[Ruminococcus]" (Lachnospiraceae) is not Ruminococcus
    assert parse_lineage("g__[Ruminococcus]").name == "[Ruminococcus]"


def test_out_of_order_ranks_are_refused() -> None:
    with pytest.raises(ValueError, match="out of order"):
        parse_lineage("g__Blautia|p__Firmicutes")


@pytest.mark.parametrize(
    ("old", "rank", "new"),
    [
        ("Firmicutes", "phylum", "Bacillota"),
        ("Bacteroidetes", "phylum", "Bacteroidota"),
        ("Proteobacteria", "phylum", "Pseudomonadota"),
        ("Actinobacteria", "phylum", "Actinomycetota"),
        ("Bacteroides vulgatus", "species", "Phocaeicola vulgatus"),
        ("Lactobacillus plantarum", "species", "Lactiplantibacillus plantarum"),
        ("Clostridium difficile", "species", "Clostridioides difficile"),
    ],
)
def test_synonyms_give_current_names(old: str, rank: str, new: str) -> None:
    assert canonical_name(old, rank) == new


def test_canonical_lineage_keeps_unrenamed_levels() -> None:
    lineage = parse_lineage("k__Bacteria|p__Firmicutes|c__Clostridia")
    assert str(canonical_lineage(lineage)) == "k__Bacteria|p__Bacillota|c__Clostridia"
    # Actinobacteria the *class* is not the phylum and must not be renamed
    cls = parse_lineage("k__Bacteria|p__Actinobacteria|c__Actinobacteria")
    assert canonical_lineage(cls).get("class") == "Actinobacteria"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Eubacterium rectale", "Agathobacter rectalis"),
        ("Ruminococcus gnavus", "Mediterraneibacter gnavus"),
        ("Ruminococcus obeum", "Blautia obeum"),
    ],
)
def test_uncited_equivalences_are_used_but_flagged(old: str, new: str) -> None:
    from gutlens.taxonomy import load_renames

    assert canonical_name(old, "species") == new
    row = next(r for r in load_renames() if r.old_name == old)
    assert row.doi is None
    assert "not verified" in row.note


def test_every_cited_rename_has_a_doi() -> None:
    from gutlens.taxonomy import load_renames

    rows = load_renames()
    assert len(rows) >= 29
    for row in rows:
        assert row.doi is None or row.doi.startswith("10.")
        assert row.doi is not None or row.note
