"""Build ``gutlens/analysis/data/enterotype/``: enterotype medoids from the Arumugam et al. 2011
dataset (doi:10.1038/nature09944), following the paper's method as also described by Costea et al.
2018 (doi:10.1038/s41564-017-0072-8).

Method
------
* Genus relative abundances of the 280 samples (``reference/enterotype_arumugam2011``); the
  unassigned row ``-1`` and the empty ``Bacteria`` row are dropped and each sample renormalised
  over its assigned genera. Names are made canonical with :func:`gutlens.taxonomy.canonical_name`.
* The four infant samples (JP.IN.*) are left out, as in the paper (enterotypes of adults).
* Jensen-Shannon distance (square root of the JS divergence, base 2) between samples.
* Partitioning around medoids (PAM: BUILD then SWAP, Kaufman & Rousseeuw), k = 3, run separately
  for each sequencing technology (Sanger, Illumina, 454 16S) because the paper, too, found and
  confirmed the enterotypes within each data set and the three pipelines' genera differ.
* Each cluster is named by the driver genus most enriched in it relative to that technology's
  mean (Bacteroides -> enterotype 1, Prevotella -> 2, Ruminococcus -> 3, "Ruminococcaceae" in
  Costea et al.'s naming).
* The 9 medoids are shipped; a sample is assigned to the nearest medoid. The agreement of that
  rule with the dataset's own enterotype labels is measured here and recorded.

Run from the repository root::

    python scripts/build_enterotype.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.spatial.distance import jensenshannon

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _metaml import sha256

from gutlens.taxonomy import canonical_name

OUT = Path("src/gutlens/analysis/data/enterotype")
SOURCE = Path("data/reference/enterotype_arumugam2011")
DRIVERS = {"Bacteroides": 1, "Prevotella": 2, "Ruminococcus": 3}
LABELS = {1: "Bacteroides", 2: "Prevotella", 3: "Ruminococcaceae"}
K = 3


def jsd_matrix(x: np.ndarray) -> np.ndarray:
    """Pairwise Jensen-Shannon distances (base 2) between the rows of ``x``."""
    n = len(x)
    d = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            d[i, j] = d[j, i] = jensenshannon(x[i], x[j], base=2)
    return d


def pam(d: np.ndarray, k: int) -> list[int]:
    """Partitioning around medoids on a distance matrix: greedy BUILD, then SWAP until no swap
    lowers the total distance to the nearest medoid. Deterministic."""
    n = len(d)
    medoids = [int(np.argmin(d.sum(axis=1)))]
    while len(medoids) < k:
        nearest = d[:, medoids].min(axis=1)
        gain = np.maximum(nearest[:, None] - d, 0).sum(axis=0)
        gain[medoids] = -1
        medoids.append(int(np.argmax(gain)))
    cost = d[:, medoids].min(axis=1).sum()
    while True:
        best_cost, best = cost, None
        for i in range(k):
            for h in range(n):
                if h in medoids:
                    continue
                trial = [*medoids[:i], h, *medoids[i + 1 :]]
                c = d[:, trial].min(axis=1).sum()
                if c < best_cost - 1e-12:
                    best_cost, best = c, trial
        if best is None:
            return medoids
        cost, medoids = best_cost, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    folder = args.shared / SOURCE
    abundance_path = folder / "genus_relative_abundance_percent.tsv"
    samples_path = folder / "samples.tsv"
    genus = pd.read_csv(abundance_path, sep="\t", index_col=0)
    genus.index = genus.index.astype(str)
    genus = genus.drop(index=["-1", "Bacteria"])
    genus.index = pd.Index([canonical_name(g, "genus") for g in genus.index])
    genus = genus.groupby(level=0).sum()
    genus = genus / genus.sum(axis=0)
    samples = pd.read_csv(samples_path, sep="\t", index_col="Sample_ID")
    # The four Japanese infants (JP.IN.*) form their own cluster; the paper's enterotypes are of
    # adults and it left the infants out of the clustering, so do we.
    samples = samples[~samples.index.str.contains(".IN.", regex=False)]
    names = list(genus.index)
    medoids = []
    for tech, ids in samples.groupby("SeqTech").groups.items():
        cols = [str(c) for c in ids]
        x = genus[cols].T.to_numpy()
        chosen = pam(jsd_matrix(x), K)
        nearest = np.argmin(
            np.array([[jensenshannon(row, x[m], base=2) for m in chosen] for row in x]), axis=1
        )
        for c, m in enumerate(chosen):
            enrichment = {
                g: x[nearest == c, names.index(g)].mean() - x[:, names.index(g)].mean()
                for g in DRIVERS
            }
            enterotype = DRIVERS[max(enrichment, key=lambda g: enrichment[g])]
            vector = genus[cols[m]]
            medoids.append(
                {
                    "sample_id": cols[m],
                    "technology": str(tech),
                    "enterotype": enterotype,
                    "label": LABELS[enterotype],
                    "cluster_size": int((nearest == c).sum()),
                    "genera": {g: round(float(v), 8) for g, v in vector[vector > 0].items()},
                }
            )
    # Agreement of the nearest-medoid rule (as shipped) with the dataset's labels.
    universe = np.array(names)
    med_vectors = np.array([[m["genera"].get(g, 0.0) for g in universe] for m in medoids])
    med_vectors = med_vectors / med_vectors.sum(axis=1, keepdims=True)
    labelled = samples[samples["Enterotype"].notna()]
    agree: dict[str, list[int]] = {}
    for sid, row in labelled.iterrows():
        x = genus[str(sid)].to_numpy()
        dist = [jensenshannon(x, m, base=2) for m in med_vectors]
        predicted = medoids[int(np.argmin(dist))]["enterotype"]
        agree.setdefault(str(row["SeqTech"]), []).append(int(predicted == int(row["Enterotype"])))
    agreement = {
        tech: {"n": len(v), "agreement": round(float(np.mean(v)), 4)} for tech, v in agree.items()
    }
    everything = [a for v in agree.values() for a in v]
    agreement["all"] = {"n": len(everything), "agreement": round(float(np.mean(everything)), 4)}
    OUT.mkdir(parents=True, exist_ok=True)
    model = {
        "method": "PAM (k=3) on genus-level Jensen-Shannon distance per sequencing technology; "
        "nearest medoid by Jensen-Shannon distance",
        "citations": ["doi:10.1038/nature09944", "doi:10.1038/s41564-017-0072-8"],
        "medoids": medoids,
        "agreement_with_published_labels": agreement,
    }
    (OUT / "medoids.json").write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
    root = args.shared.resolve()
    provenance = {
        "built_by": "scripts/build_enterotype.py",
        "sources": [
            {"path": str(p.resolve().relative_to(root)), "sha256": sha256(p)}
            for p in (abundance_path, samples_path)
        ],
        "citations": model["citations"],
        "agreement_with_published_labels": agreement,
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(agreement))
    for m in medoids:
        print(m["technology"], m["sample_id"], m["label"], m["cluster_size"])


if __name__ == "__main__":
    main()
