"""Build gutlens/analysis/data/variability.json: visit-to-visit change in healthy adults.

For every healthy control of the MetAML stool cohort (Pasolli et al. 2016,
doi:10.1371/journal.pcbi.1004977; ``shared/data/reference/metaml_pasolli2016_stool``) who has
two or more samples in the same study (HMP visits, Nielsen et al. repeats), the first two samples
are analysed with ``gutlens.analysis.analyze.analyze`` and the absolute difference of every
number in the results is taken. A metric's threshold is the 95th percentile of those differences
(kept only when at least ``--min-pairs`` subjects have the metric). ``gutlens compare`` marks a
change as larger than usual when it exceeds that threshold. Day-to-day variability is large
(Vandeputte et al. 2021, doi:10.1038/s41467-021-27098-7), so these thresholds are deliberately
measured on real repeated samples rather than assumed. Run from the repository root::

    python scripts/build_variability.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd

from gutlens.analysis.analyze import analyze
from gutlens.analysis.change import flatten_results
from gutlens.reference import read_metaml_table

OUT = Path("src/gutlens/analysis/data")
COHORT = "data/reference/metaml_pasolli2016_stool"
QUANTILE = 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--min-pairs", type=int, default=20)
    args = parser.parse_args()
    folder = args.shared / COHORT
    samples = pd.read_csv(folder / "samples.tsv", sep="\t", dtype={"subjectID": str})
    healthy = samples[samples["is_healthy_control"].astype(bool)]
    pairs = []
    for (_, _), group in healthy.groupby(["dataset_name", "subjectID"]):
        if len(group) >= 2:
            first, second = sorted(group["sample_uid"])[:2]
            pairs.append((first, second))
    wanted = sorted({uid for pair in pairs for uid in pair})
    table = read_metaml_table(folder / "relative_abundance_all_ranks.tsv.gz")
    flat = {uid: flatten_results(analyze(table.profile(uid))) for uid in wanted}
    differences: dict[str, list[float]] = {}
    for first, second in pairs:
        a, b = flat[first], flat[second]
        for key in set(a) | set(b):
            if key.startswith("taxa."):
                diff = abs(a.get(key, 0.0) - b.get(key, 0.0))
            elif key in a and key in b:
                diff = abs(a[key] - b[key])
            else:
                continue
            differences.setdefault(key, []).append(diff)
    thresholds = {
        key: float(np.quantile(values, QUANTILE))
        for key, values in sorted(differences.items())
        if len(values) >= args.min_pairs
    }
    source = folder / "relative_abundance_all_ranks.tsv.gz"
    payload = {
        "description": (
            "95th percentile of the absolute change between the first two samples of the same "
            "healthy adult (MetAML stool cohort: HMP visits and Nielsen et al. repeats)"
        ),
        "n_subjects": len(pairs),
        "quantile": QUANTILE,
        "thresholds": thresholds,
        "citations": ["10.1371/journal.pcbi.1004977", "10.1038/s41467-021-27098-7"],
        "version": "2026.11.0",
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "variability.json").write_text(json.dumps(payload, indent=1) + "\n")
    provenance = {
        "built_by": "scripts/build_variability.py",
        "sources": [
            {
                "path": f"shared/{COHORT}/samples.tsv",
                "sha256": hashlib.sha256((folder / "samples.tsv").read_bytes()).hexdigest(),
            },
            {
                "path": f"shared/{COHORT}/relative_abundance_all_ranks.tsv.gz",
                "sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
            },
        ],
        "pairs": pairs,
    }
    (OUT / "variability.PROVENANCE.json").write_text(json.dumps(provenance, indent=1) + "\n")
    print(f"{len(pairs)} subjects, {len(thresholds)} thresholds -> {OUT / 'variability.json'}")


if __name__ == "__main__":
    main()
