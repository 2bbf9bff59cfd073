"""Reading Kraken 2 / Bracken reports and CAMI profiles: gutlens against a bare pandas parse.

gutlens checks every row (counts, tree sums, percentages, indentation) and builds lineages; the
baseline, ``pandas.read_csv(sep="\\t", header=None)``, only splits the columns. Prints the best of
five runs per file and the ratio. Run from the repository root with ``../shared`` beside it:
``python benchmarks/read_kreport.py``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from gutlens.io import read_profiles  # noqa: E402

INPUTS = REPO.parent / "shared" / "data" / "inputs"
FILES = [
    "kraken2/Ombre6_Kraken2.kreport",
    "kraken2/Psomagen2_Kraken2.kreport",
    "bracken/Psomagen2_Kraken2_bracken.kreport",
    "bracken/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.bracken.report.txt",
    "cami_profile_motus/ERR478958.profile",
]


def best_of(run: Callable[[], object], repeats: int = 5) -> float:
    """Fastest wall time of ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    read_profiles(INPUTS / FILES[0])  # import and register the readers once
    print(f"{'file':<62} {'rows':>6} {'gutlens s':>10} {'pandas s':>9} {'ratio':>6}")
    for name in FILES:
        path = INPUTS / name
        rows = sum(1 for _ in path.open())
        ours = best_of(lambda p=path: read_profiles(p))
        theirs = best_of(
            lambda p=path: pd.read_csv(p, sep="\t", header=None, comment="#", on_bad_lines="skip")
        )
        print(f"{name:<62} {rows:>6} {ours:>10.4f} {theirs:>9.4f} {ours / theirs:>6.1f}")


if __name__ == "__main__":
    main()
