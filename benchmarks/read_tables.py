"""Reading DADA2 tables and generic tables: gutlens against a bare pandas parse.

The largest real table is the cystic-fibrosis infant study (2,748 ASVs x 289 samples, DADA2
"Happy Belly" export). gutlens checks every count, builds each ASV's lineage from the taxonomy
table and sums the ASVs up to every rank; the baseline, ``pandas.read_csv`` of the two files,
only parses them. The same data joined into one generic TSV (lineage column + counts) is timed
through the generic table reader. Prints the best of three runs and the ratio. Run from the
repository root with ``../shared`` beside it: ``python benchmarks/read_tables.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from gutlens.io import read_many, read_profiles  # noqa: E402

FOLDER = REPO.parent / "shared" / "data" / "inputs" / "dada2" / "cf_infant_stool"


def best_of(run: Callable[[], object], repeats: int = 3) -> float:
    """Fastest wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    counts_path, taxa_path = FOLDER / "ASVs_counts.tsv", FOLDER / "ASVs_taxonomy.tsv"

    def baseline() -> None:
        pd.read_csv(counts_path, sep="\t", index_col=0)
        pd.read_csv(taxa_path, sep="\t", index_col=0)

    counts = pd.read_csv(counts_path, sep="\t", index_col=0)
    taxa = pd.read_csv(taxa_path, sep="\t", index_col=0)
    lineage = taxa.apply(
        lambda r: "; ".join(f"{k[0].lower()}__{v}" for k, v in r.items() if isinstance(v, str)),
        axis=1,
    )
    joined = counts.copy()
    joined.insert(0, "taxonomy", lineage.loc[counts.index])
    with tempfile.TemporaryDirectory() as tmp:
        generic = Path(tmp) / "cf_joined.tsv"
        joined.to_csv(generic, sep="\t")
        rows = [
            ("pandas.read_csv (both files)", best_of(baseline)),
            (
                "gutlens dada2 (counts + taxonomy)",
                best_of(lambda: read_many([counts_path, taxa_path])),
            ),
            ("gutlens table (joined TSV)", best_of(lambda: read_profiles(generic))),
        ]
    print(f"{counts.shape[0]} ASVs x {counts.shape[1]} samples")
    base = rows[0][1]
    for name, seconds in rows:
        print(f"{name:38s} {seconds:7.3f} s  ({seconds / base:5.1f} x pandas)")


if __name__ == "__main__":
    main()
