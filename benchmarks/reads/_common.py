"""Shared helpers for the reads benchmarks: data paths, peers, SINTAX reference."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))
SHARED = Path(os.environ.get("GUTLENS_SHARED", REPO.parent / "shared")) / "data" / "inputs"
OMBRE = SHARED / "fastq_16s" / "ombre_consumer_v4_sample6"
R1 = OMBRE / "Sample6-Ombre-GTV3A_S57_L001_R1_001.fastq.gz"
R2 = OMBRE / "Sample6-Ombre-GTV3A_S57_L001_R2_001.fastq.gz"
RDP19 = SHARED / "reference_db" / "rdp_trainset19" / "rdp_trainset19_dada2.fa.gz"
DADA2_TAXA = SHARED / "dada2" / "run_here_ombre_sample6" / "taxa_rdp19.csv"
SINTAX_RANKS = "dpcofg"


def ensure_tool(name: str, package: str) -> str:
    """Path of ``name``, installing the Debian ``package`` with apt when it is missing."""
    found = shutil.which(name)
    if found:
        return found
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", package], check=True)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found after installing {package}")
    return found


def sintax_reference(workdir: Path) -> Path:
    """RDP 19 rewritten in SINTAX header layout: ``>id;tax=d:Bacteria,p:...,g:Genus;``."""
    out = workdir / "rdp19_sintax.fa"
    if out.exists():
        return out
    with gzip.open(RDP19, "rt") as handle, out.open("w") as dest:
        number = 0
        for line in handle:
            if line.startswith(">"):
                number += 1
                levels = [x for x in line[1:].strip().split(";") if x]
                tax = ",".join(f"{r}:{n}" for r, n in zip(SINTAX_RANKS, levels, strict=False))
                dest.write(f">r{number};tax={tax};\n")
            else:
                dest.write(line)
    return out


def parse_sintax(path: Path, cutoff_column: int = 4) -> dict[str, str | None]:
    """Query id -> confident genus (``g:`` in the cutoff-filtered column) from SINTAX output."""
    calls: dict[str, str | None] = {}
    for line in path.read_text().splitlines():
        fields = line.split("\t")
        query = fields[0].split(";")[0]
        confident = fields[cutoff_column - 1] if len(fields) >= cutoff_column else ""
        genus = next((p[2:] for p in confident.split(",") if p.startswith("g:")), None)
        calls[query] = genus
    return calls
