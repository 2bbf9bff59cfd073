"""Whole consumer sample (27,423 read pairs), FASTQ -> genus profile: gutlens vs the vsearch
pipeline (merge pairs, filter maxEE 1, dereplicate, UNOISE3, UCHIME3, SINTAX on RDP 19), timed in
one run, with ASV/zOTU overlap and genus Bray-Curtis between the two.

    python benchmarks/reads/bench_pipeline.py [--workdir /tmp/gutlens-bench]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
from collections import Counter
from pathlib import Path
from time import perf_counter

import numpy as np
import pandas as pd
from _common import OMBRE, R1, R2, RDP19, ensure_tool, parse_sintax, sintax_reference

from gutlens.reads import load_classifier, profile_reads


def _vsearch(vsearch: str, work: Path, threads: int) -> tuple[float, dict[str, int], dict]:
    db = sintax_reference(work)
    steps = [
        [
            "--fastq_mergepairs",
            str(R1),
            "--reverse",
            str(R2),
            "--fastqout",
            str(work / "merged.fq"),
        ],
        [
            "--fastq_filter",
            str(work / "merged.fq"),
            "--fastq_maxee",
            "1",
            "--fastaout",
            str(work / "filtered.fa"),
        ],
        [
            "--derep_fulllength",
            str(work / "filtered.fa"),
            "--sizeout",
            "--output",
            str(work / "uniques.fa"),
        ],
        [
            "--cluster_unoise",
            str(work / "uniques.fa"),
            "--minsize",
            "8",
            "--centroids",
            str(work / "denoised.fa"),
        ],
        [
            "--uchime3_denovo",
            str(work / "denoised.fa"),
            "--nonchimeras",
            str(work / "zotus.fa"),
            "--relabel",
            "Zotu",
        ],
        [
            "--usearch_global",
            str(work / "filtered.fa"),
            "--db",
            str(work / "zotus.fa"),
            "--id",
            "0.97",
            "--otutabout",
            str(work / "zotutab.tsv"),
        ],
        [
            "--sintax",
            str(work / "zotus.fa"),
            "--db",
            str(db),
            "--tabbedout",
            str(work / "sintax.tsv"),
            "--sintax_cutoff",
            "0.8",
        ],
    ]
    started = perf_counter()
    for step in steps:
        subprocess.run([vsearch, *step, "--threads", str(threads), "--quiet"], check=True)
    seconds = perf_counter() - started
    sequences: dict[str, str] = {}
    name = ""
    for line in (work / "zotus.fa").read_text().splitlines():
        if line.startswith(">"):
            name = line[1:].split(";")[0]
            sequences[name] = ""
        else:
            sequences[name] += line.strip()
    counts = {}
    for line in (work / "zotutab.tsv").read_text().splitlines()[1:]:
        zotu, count = line.split("\t")[:2]
        counts[zotu] = int(float(count))
    genus = parse_sintax(work / "sintax.tsv")
    by_genus: Counter[str] = Counter()
    for zotu, count in counts.items():
        if genus.get(zotu):
            by_genus[str(genus[zotu])] += count
    return seconds, {sequences[z]: c for z, c in counts.items()}, dict(by_genus)


def _bray_curtis(a: dict[str, float], b: dict[str, float]) -> float:
    keys = sorted(set(a) | set(b))
    x = np.array([a.get(k, 0.0) for k in keys]) / sum(a.values())
    y = np.array([b.get(k, 0.0) for k in keys]) / sum(b.values())
    return float(np.abs(x - y).sum() / 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "gl-bench")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    vsearch = ensure_tool("vsearch", "vsearch")
    load_classifier(RDP19)  # make sure the model is cached (training is timed elsewhere)

    started = perf_counter()
    table, summary, asvs = profile_reads(R1, R2)
    ours_s = perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    v_s, zotus, v_genus = _vsearch(vsearch, args.workdir, args.threads)

    ours_genus = {str(k): float(v) for k, v in table.profile().counts_at_rank("genus").items()}
    shared = set(asvs.sequences) & set(zotus)
    print(
        f"gutlens reads: {ours_s:.1f} s (stages: "
        + ", ".join(f"{k} {v:.2f}" for k, v in summary.seconds.items())
        + f"), peak RSS {peak_mb:.0f} MB"
    )
    print(f"vsearch pipeline ({args.threads} threads): {v_s:.1f} s")
    print(f"ratio gutlens / vsearch: {ours_s / v_s:.2f}")
    print(
        f"ASVs {len(asvs.sequences)}, zOTUs {len(zotus)}, identical sequences {len(shared)}; "
        f"their share of vsearch reads {sum(zotus[s] for s in shared) / sum(zotus.values()):.3f}"
    )
    print(f"genus Bray-Curtis gutlens vs vsearch/SINTAX: {_bray_curtis(ours_genus, v_genus):.3f}")
    _largest("gutlens - SINTAX", ours_genus, v_genus)
    vendor = pd.read_csv(OMBRE / "vendor_Sample6-Ombre-GTV3A_abundance_profile.csv")
    vendor_genus = vendor[vendor["rank"] == "genus"].groupby("name")["count"].sum().to_dict()
    lumped_ours = _lump(ours_genus)
    lumped_vendor = _lump({str(k): float(v) for k, v in vendor_genus.items()})
    print(
        "genus Bray-Curtis gutlens vs vendor export (Phocaeicola->Bacteroides, "
        f"Ruminococcoides->Ruminococcus): {_bray_curtis(lumped_ours, lumped_vendor):.3f}"
    )
    _largest("gutlens - vendor", lumped_ours, lumped_vendor)


def _lump(counts: dict[str, float]) -> dict[str, float]:
    lumps = {"Phocaeicola": "Bacteroides", "Ruminococcoides": "Ruminococcus"}
    out: Counter[str] = Counter()
    for name, value in counts.items():
        out[lumps.get(name, name)] += value
    return dict(out)


def _largest(label: str, a: dict[str, float], b: dict[str, float], n: int = 5) -> None:
    keys = set(a) | set(b)
    ta, tb = sum(a.values()), sum(b.values())
    diffs = sorted(
        ((a.get(k, 0) / ta - b.get(k, 0) / tb, k) for k in keys), key=lambda x: -abs(x[0])
    )
    print(f"  largest differences ({label}): " + ", ".join(f"{k} {d:+.3f}" for d, k in diffs[:n]))


if __name__ == "__main__":
    main()
