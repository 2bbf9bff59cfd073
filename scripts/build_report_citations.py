"""Build gutlens/report/data/citations.tsv (the citations the report's general text stands on)
and reference_labels.tsv (author-year labels for DOIs that analysis results cite).

Every DOI/PMID is copied from a verified table or README under ``shared/data/knowledge`` (never
typed in): a row names its source file and either a ``consensus.tsv`` item id or the README line
holding the paper's DOI. A provenance file records each source's sha256. Run from the repository
root::

    python scripts/build_report_citations.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
from pathlib import Path

OUT = Path("src/gutlens/report/data")
COLUMNS = ["key", "doi", "pmid", "label", "source"]
DOI = re.compile(r"10\.\d{4,9}/[^\s)|,;\"'`*]+")

#: key -> consensus.tsv item id (curated_interventions; each row's DOI was verified with its title)
CONSENSUS = {
    "porcari2025": "C01",
    "magne2020": "C10",
    "clinician_guide2018": "C11",
    "sinha2017": "C12",
    "vandeputte2016": "C14",
    "vandeputte2021": "C15",
}
#: key -> (README under knowledge/ or reference/, text that starts the line with the DOI, label)
READMES = {
    "gupta2020": (
        "knowledge/gmhi/README.md",
        "**Paper:**",
        "Gupta et al. 2020, Nat Commun 11:4635",
    ),
    "chang2024": (
        "knowledge/gmwi2/README.md",
        "**Paper:**",
        "Chang et al. 2024, Nat Commun",
    ),
    "pasolli2016": (
        "reference/metaml_pasolli2016_stool/README.md",
        "  DOI: 10.1371",
        "Pasolli et al. 2016, PLoS Comput Biol",
    ),
    "pasolli2017": (
        "knowledge/cmd_healthy_reference_abundance/README.md",
        "**Underlying data:**",
        "Pasolli et al. 2017, Nat Methods 14:1023-1024",
    ),
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _labels(data: Path, sources: dict[str, Path]) -> list[dict[str, str]]:
    """DOI -> short label from the curated guild citations and intervention/biomarker tables."""
    out: dict[str, dict[str, str]] = {}
    rel = "knowledge/curated_guilds/citations.tsv"
    sources[rel] = data / rel
    for row in csv.DictReader((data / rel).open(encoding="utf-8"), delimiter="\t"):
        label = f"{row['first_author']} et al. {row['year']}, {row['journal']}"
        out.setdefault(row["doi"], {"doi": row["doi"], "pmid": row["pmid"], "label": label})
        out[row["doi"]]["source"] = rel
    for name in ("interventions.tsv", "biomarkers.tsv", "consensus.tsv"):
        rel = f"knowledge/curated_interventions/{name}"
        sources[rel] = data / rel
        for row in csv.DictReader((data / rel).open(encoding="utf-8"), delimiter="\t"):
            doi = row.get("citation_doi") or ""
            if doi and doi not in out:
                out[doi] = {
                    "doi": doi,
                    "pmid": row.get("citation_pmid") or "",
                    "label": row["citation_short"],
                    "source": rel,
                }
    return sorted(out.values(), key=lambda r: r["doi"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    data = args.shared / "data"
    rows: list[dict[str, str]] = []
    sources: dict[str, Path] = {}

    consensus_path = data / "knowledge/curated_interventions/consensus.tsv"
    consensus = {
        r["item_id"]: r
        for r in csv.DictReader(consensus_path.open(encoding="utf-8"), delimiter="\t")
    }
    sources["knowledge/curated_interventions/consensus.tsv"] = consensus_path
    for key, item in CONSENSUS.items():
        row = consensus[item]
        if not (row["citation_doi"] or row["citation_pmid"]):
            raise SystemExit(f"{item} has neither DOI nor PMID")
        rows.append(
            {
                "key": key,
                "doi": row["citation_doi"],
                "pmid": row["citation_pmid"],
                "label": row["citation_short"],
                "source": f"knowledge/curated_interventions/consensus.tsv#{item}",
            }
        )
    for key, (rel, start, label) in READMES.items():
        path = data / rel
        sources[rel] = path
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.startswith(start)]
        found = DOI.search(lines[0]) if lines else None
        if found is None:
            raise SystemExit(f"no DOI on a line starting {start!r} in {path}")
        rows.append(
            {
                "key": key,
                "doi": found.group(0).rstrip("."),
                "pmid": "",
                "label": label,
                "source": rel,
            }
        )
    labels = _labels(data, sources)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "reference_labels.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, ["doi", "pmid", "label", "source"], delimiter="\t", lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(labels)
    with (OUT / "citations.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    provenance = {
        "built_by": "scripts/build_report_citations.py",
        "sources": [
            {"path": f"shared/data/{rel}", "sha256": _sha(path)} for rel, path in sources.items()
        ],
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"wrote {len(rows)} citations and {len(labels)} reference labels to {OUT}")


if __name__ == "__main__":
    main()
