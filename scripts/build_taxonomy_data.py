"""Build gutlens/taxonomy/data/taxon_renames.tsv from the curated, citation-checked tables.

Source: ``shared/data/knowledge/curated_guilds/taxon_renames.tsv`` (every DOI checked against its
title; see that folder's README). Rows are copied with their citation; a provenance file records
the source checksum. Run from the repository root::

    python scripts/build_taxonomy_data.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
from pathlib import Path

OUT = Path("src/gutlens/taxonomy/data")
COLUMNS = ["old_name", "current_name", "rank", "year_of_change", "citation_doi"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    source = args.shared / "data/knowledge/curated_guilds/taxon_renames.tsv"
    rows = list(csv.DictReader(source.open(encoding="utf-8"), delimiter="\t"))
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "taxon_renames.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row[key] for key in COLUMNS})
    provenance = {
        "built_by": "scripts/build_taxonomy_data.py",
        "sources": [
            {
                "path": "shared/data/knowledge/curated_guilds/taxon_renames.tsv",
                "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
                "rows": len(rows),
            }
        ],
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"wrote {len(rows)} renames to {OUT}")


if __name__ == "__main__":
    main()
