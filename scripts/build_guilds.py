"""Build ``gutlens/analysis/data/guilds/``: functional-guild members with citations, and each
guild's share in the healthy MetAML reference (for percentiles).

Sources (all under ``shared/data``; each DOI below was checked by the curators or by us):

* ``knowledge/curated_guilds/guild_members.tsv`` + ``citations.tsv``: the hand-curated guild table
  (every row one DOI, PMIDs from the citation table). Only species and genus rows are used for
  matching; the few family/phylum rows (Lachnospiraceae, Ruminococcaceae, Eggerthellaceae,
  Pseudomonadota) are too broad to count a whole clade as a guild and are kept out (listed in the
  provenance file).
* ``knowledge/madin2020_traits/traits_long.tsv.gz`` (Madin et al. 2020,
  doi:10.1038/s41597-020-0497-4): species with a ``methanogenesis`` pathway -> methanogens,
  ``sulfate_reduction`` -> hydrogen sulfide producers, ``cellulose_degradation`` /
  ``xylan_degradation`` -> fibre degraders. Each member cites Madin 2020 plus
  the DOI of the row's own source when it has one.
* ``knowledge/fermentation_products_arnoldini``: strains measured to excrete butyrate (mean over
  experiments >= 1 unit, a gutlens cut-off; the three producers are far above it and every other
  strain below 0.4) are added as butyrate-producer evidence, citing Arnoldini et al. 2025
  (doi:10.1016/j.cell.2025.07.005).
* ``reference/metaml_pasolli2016_stool``: the 759 healthy one-per-subject samples; each guild's
  share per sample (computed by :func:`gutlens.analysis.guilds.guild_share_table`, the same code
  that scores a user's sample) is shipped sorted so percentiles are exact.

Run from the repository root::

    python scripts/build_guilds.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _metaml import METAML_DOI, load_metaml, sha256

from gutlens.taxonomy import canonical_name

OUT = Path("src/gutlens/analysis/data/guilds")
MADIN_DOI = "10.1038/s41597-020-0497-4"
ARNOLDINI_DOI = "10.1016/j.cell.2025.07.005"
_DOI = re.compile(r"10\.\d{4,9}/[^\s,;]+")
_CLEAN = re.compile(r"^[A-Z][a-z]+( [a-z]+)?$")

#: Guild id -> (label, one-line meaning). Ids are those of curated_guilds.
GUILDS: dict[str, tuple[str, str]] = {
    "butyrate_producer": (
        "Butyrate producers",
        "Taxa shown to make butyrate, the main fuel of colon cells.",
    ),
    "propionate_producer": ("Propionate producers", "Taxa shown to make propionate."),
    "acetate_producer": ("Acetate producers", "Taxa shown to make acetate."),
    "lactate_producer": ("Lactate producers", "Taxa shown to make lactate."),
    "lactate_utiliser": (
        "Lactate utilisers",
        "Taxa that turn lactate into butyrate or propionate.",
    ),
    "primary_fibre_degrader": (
        "Fibre degraders",
        "Taxa that break down dietary fibre (resistant starch, cellulose, xylan, plant glycans).",
    ),
    "mucin_degrader": (
        "Mucin degraders",
        "Taxa that feed on the mucus layer lining the gut (e.g. Akkermansia muciniphila).",
    ),
    "h2s_producer": (
        "Hydrogen sulfide producers",
        "Sulfate/sulfite reducers and Bilophila, which make hydrogen sulfide.",
    ),
    "methanogen": ("Methanogens", "Archaea that make methane (e.g. Methanobrevibacter smithii)."),
    "hydrogenotrophic_acetogen": (
        "Hydrogen-using acetogens",
        "Bacteria that make acetate from hydrogen and CO2.",
    ),
    "lps_proteobacteria_pathobiont": (
        "LPS-producing pathobionts",
        "Enterobacteriaceae such as Escherichia coli and Klebsiella: Gram-negative residents "
        "with potent lipopolysaccharide that can expand in inflammation (not all Gram-negatives).",
    ),
    "other_pathobiont": (
        "Other pathobionts",
        "Usually harmless residents linked to disease when they expand (e.g. Clostridioides "
        "difficile, Fusobacterium nucleatum).",
    ),
    "equol_producer": (
        "Equol producers",
        "Taxa that turn the soy isoflavone daidzein into equol.",
    ),
    "urolithin_producer": (
        "Urolithin producers",
        "Taxa that turn ellagic acid (berries, pomegranate, nuts) into urolithins.",
    ),
    "oxalate_degrader": (
        "Oxalate degraders",
        "Taxa that break down dietary oxalate (e.g. Oxalobacter formigenes).",
    ),
    "histamine_producer": ("Histamine producers", "Taxa reported to release histamine."),
    "tma_producer": (
        "TMA producers",
        "Taxa that make trimethylamine from choline or carnitine (precursor of TMAO).",
    ),
    "gaba_producer": ("GABA producers", "Taxa that make gamma-aminobutyric acid (GABA)."),
    "gaba_consumer": ("GABA consumers", "Taxa that depend on GABA for growth."),
    "secondary_bile_acid_producer": (
        "Secondary bile acid producers",
        "Taxa with bile acid 7-alpha-dehydroxylation (bai genes).",
    ),
    "tryptophan_indole_metaboliser": (
        "Tryptophan/indole metabolisers",
        "Taxa that turn tryptophan into indole and related signalling molecules.",
    ),
    "probiotic_genus": (
        "Probiotic genera",
        "Bifidobacterium, Lactobacillus and the genera split from Lactobacillus in 2020.",
    ),
}
MADIN_PATHWAYS = {
    "methanogenesis": "methanogen",
    "sulfate_reduction": "h2s_producer",
    "cellulose_degradation": "primary_fibre_degrader",
    "xylan_degradation": "primary_fibre_degrader",
}
ARNOLDINI_BUTYRATE_MIN = 1.0


def _members(shared: Path) -> tuple[list[dict[str, str]], list[dict[str, str]], list[Path]]:
    knowledge = shared / "data/knowledge"
    curated = knowledge / "curated_guilds/guild_members.tsv"
    citations = knowledge / "curated_guilds/citations.tsv"
    madin = knowledge / "madin2020_traits/traits_long.tsv.gz"
    arnoldini = (
        knowledge / "fermentation_products_arnoldini/growth_uptake_secretion_per_experiment.csv"
    )
    arnoldini_names = knowledge / "fermentation_products_arnoldini/species_names.csv"
    pmid = {
        row["doi"]: row["pmid"]
        for row in csv.DictReader(citations.open(encoding="utf-8"), delimiter="\t")
    }
    # (guild, rank, name) -> {citation: source}
    found: dict[tuple[str, str, str], dict[str, str]] = defaultdict(dict)
    skipped: list[dict[str, str]] = []
    for row in csv.DictReader(curated.open(encoding="utf-8"), delimiter="\t"):
        if row["rank"] not in ("species", "genus"):
            skipped.append({k: row[k] for k in ("guild", "taxon_name", "rank", "citation_doi")})
            continue
        name = canonical_name(row["taxon_name"], row["rank"])
        cite = f"doi:{row['citation_doi']}"
        if row["citation_pmid"] or pmid.get(row["citation_doi"]):
            cite += f" pmid:{row['citation_pmid'] or pmid[row['citation_doi']]}"
        found[(row["guild"], row["rank"], name)][cite] = "curated_guilds"
    with gzip.open(madin, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            guild = MADIN_PATHWAYS.get(row["value"]) if row["trait"] == "pathways" else None
            if guild is None or not _CLEAN.match(row["species"] or "") or " " not in row["species"]:
                continue
            name = canonical_name(row["species"], "species")
            entry = found[(guild, "species", name)]
            entry[f"doi:{MADIN_DOI}"] = "madin2020_traits"
            for doi in _DOI.findall(row["reference"] or ""):
                entry[f"doi:{doi.rstrip('.')}"] = "madin2020_traits"
    names = pd.read_csv(arnoldini_names)
    full = dict(zip(names["species_HPLCname"], names["new_species"], strict=True))
    experiments = pd.read_csv(arnoldini)
    butyrate = experiments.groupby("species")["butyrate"].mean()
    for short, value in butyrate.items():
        if value >= ARNOLDINI_BUTYRATE_MIN:
            name = canonical_name(full[str(short)], "species")
            found[("butyrate_producer", "species", name)][f"doi:{ARNOLDINI_DOI}"] = (
                "fermentation_products_arnoldini"
            )
    rows = [
        {
            "guild": guild,
            "rank": rank,
            "name": name,
            "sources": ";".join(sorted(set(cites.values()))),
            "citations": ";".join(sorted(cites)),
        }
        for (guild, rank, name), cites in sorted(found.items())
    ]
    return rows, skipped, [curated, citations, madin, arnoldini, arnoldini_names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rows, skipped, sources = _members(args.shared)
    unknown = {row["guild"] for row in rows} - set(GUILDS)
    if unknown:
        raise SystemExit(f"guilds without a label: {sorted(unknown)}")
    with (OUT / "members.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, ["guild", "rank", "name", "sources", "citations"], delimiter="\t"
        )
        writer.writeheader()
        writer.writerows(rows)
    definitions = {
        gid: {"label": label, "meaning": meaning} for gid, (label, meaning) in GUILDS.items()
    }
    (OUT / "guilds.json").write_text(json.dumps(definitions, indent=1) + "\n", encoding="utf-8")

    # The reference distributions, computed with the package's own code on the new data.
    from gutlens.analysis import guilds

    guilds.load_guilds.cache_clear()
    table, samples, metaml_files = load_metaml(args.shared)
    healthy = samples.index[samples["healthy_reference_one_per_subject"].astype(bool)]
    shares = guilds.guild_share_table(table.profile(str(s)) for s in healthy)
    reference = {
        "name": "MetAML healthy, one sample per subject",
        "citation": f"doi:{METAML_DOI}",
        "profiler": "MetaPhlAn 2",
        "n": len(healthy),
        "percentile_method": "mean of strict and weak rank (scipy percentileofscore kind='mean')",
        "shares": {
            gid: np.round(np.sort(shares[gid].to_numpy()), 10).tolist() for gid in shares.columns
        },
    }
    (OUT / "reference_shares.json").write_text(json.dumps(reference) + "\n", encoding="utf-8")
    root = args.shared.resolve()
    provenance = {
        "built_by": "scripts/build_guilds.py",
        "sources": [
            {"path": str(p.resolve().relative_to(root)), "sha256": sha256(p)}
            for p in [*sources, *metaml_files]
        ],
        "citations": {
            "madin2020": f"doi:{MADIN_DOI}",
            "arnoldini2025": f"doi:{ARNOLDINI_DOI}",
            "metaml": f"doi:{METAML_DOI}",
        },
        "members": len(rows),
        "reference_samples": len(healthy),
        "arnoldini_butyrate_min": ARNOLDINI_BUTYRATE_MIN,
        "left_out_broad_rows": skipped,
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1) + "\n", encoding="utf-8")
    print(f"{len(rows)} guild members, {len(healthy)} reference samples -> {OUT}")


if __name__ == "__main__":
    main()
