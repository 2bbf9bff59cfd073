"""Build gutlens/taxonomy/data/taxon_renames.tsv from the curated, citation-checked tables.

Sources (both in ``shared/data/knowledge/curated_guilds/``, every DOI checked against its title):

* ``taxon_renames.tsv``: published renames, each with the DOI of the paper that made the change.
* ``guild_members.tsv`` column ``former_names``: one-to-one species equivalences the curators used
  (e.g. *Eubacterium rectale* = *Agathobacter rectalis*) whose renaming paper they could NOT verify
  (their README says so). They are kept so that profiles from older databases match, with an empty
  ``citation_doi`` and a note saying the renaming paper is unverified: never presented as cited.

A provenance file records the source checksums. Run from the repository root::

    python scripts/build_taxonomy_data.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
from pathlib import Path

OUT = Path("src/gutlens/taxonomy/data")
COLUMNS = ["old_name", "current_name", "rank", "year_of_change", "citation_doi", "source", "note"]
_BINOMIAL = re.compile(r"^[A-Z][a-z]+ [a-z]+$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    source = args.shared / "data/knowledge/curated_guilds/taxon_renames.tsv"
    rows = [
        {**row, "source": "curated_guilds/taxon_renames.tsv", "note": ""}
        for row in csv.DictReader(source.open(encoding="utf-8"), delimiter="\t")
    ]
    known = {row["old_name"] for row in rows}
    members = args.shared / "data/knowledge/curated_guilds/guild_members.tsv"
    extra: dict[str, dict[str, str]] = {}
    for row in csv.DictReader(members.open(encoding="utf-8"), delimiter="\t"):
        for former in filter(None, (f.strip() for f in row["former_names"].split(";"))):
            if row["rank"] == "species" and _BINOMIAL.match(former) and former not in known:
                extra[former] = {
                    "old_name": former,
                    "current_name": row["taxon_name"],
                    "rank": "species",
                    "year_of_change": "",
                    "citation_doi": "",
                    "source": "curated_guilds/guild_members.tsv former_names",
                    "note": "renaming paper not verified by the curators",
                }
    rows.extend(extra[name] for name in sorted(extra))
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
                "rows": len(rows) - len(extra),
            },
            {
                "path": "shared/data/knowledge/curated_guilds/guild_members.tsv",
                "sha256": hashlib.sha256(members.read_bytes()).hexdigest(),
                "rows": len(extra),
            },
        ],
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(f"wrote {len(rows)} renames to {OUT}")


if __name__ == "__main__":
    main()
