"""Build ``gutlens/analysis/data/quality/thresholds.json``: reference-derived cut-offs for the
sample-quality flags, from the 759 healthy one-per-subject MetAML samples (Pasolli et al. 2016,
doi:10.1371/journal.pcbi.1004977).

* ``few_taxa``: the 1st percentile of the number of species (and of genera) per sample.
* ``dominance``: the 99th percentile of the largest single species' (and genus') share.

These are gutlens conventions ("outside 98% of healthy reference samples"), not published
thresholds; the flags say so.

Run from the repository root::

    python scripts/build_quality.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _metaml import METAML_DOI, load_metaml, sha256

OUT = Path("src/gutlens/analysis/data/quality")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    table, samples, files = load_metaml(args.shared)
    healthy = samples.index[samples["healthy_reference_one_per_subject"].astype(bool)]
    columns = [table.sample_ids.index(str(s)) for s in healthy]
    abundance = table.abundance[:, columns].toarray()
    ranks = table.taxa["rank"].to_numpy()
    stats: dict[str, dict[str, float]] = {}
    for rank in ("species", "genus"):
        block = abundance[ranks == rank]
        richness = (block > 0).sum(axis=0)
        top = block.max(axis=0)
        stats[rank] = {
            "richness_p01": float(np.percentile(richness, 1)),
            "richness_median": float(np.median(richness)),
            "top_share_p99": round(float(np.percentile(top, 99)), 6),
            "top_share_median": round(float(np.median(top)), 6),
        }
    OUT.mkdir(parents=True, exist_ok=True)
    result = {
        "reference": "MetAML healthy, one sample per subject (MetaPhlAn 2)",
        "citation": f"doi:{METAML_DOI}",
        "n": len(healthy),
        "ranks": stats,
    }
    (OUT / "thresholds.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    root = args.shared.resolve()
    provenance = {
        "built_by": "scripts/build_quality.py",
        "sources": [
            {"path": str(p.resolve().relative_to(root)), "sha256": sha256(p)} for p in files
        ],
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
