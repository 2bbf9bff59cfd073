"""Classifying the 158 DADA2 ASVs of the ombre sample with RDP 19: gutlens vs vsearch SINTAX
(and DADA2 assignTaxonomy when R's dada2 is installed), same sequences, same reference, one run.

    python benchmarks/reads/bench_classify.py [--workdir /tmp/gutlens-bench]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path
from time import perf_counter

import pandas as pd
from _common import DADA2_TAXA, RDP19, ensure_tool, parse_sintax, sintax_reference

from gutlens.reads import NaiveBayesClassifier, load_classifier, load_reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "gl-bench")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--no-dada2", action="store_true", help="skip DADA2 (installing r-bioc-dada2 is large)"
    )
    args = parser.parse_args()
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    vsearch = ensure_tool("vsearch", "vsearch")
    taxa = pd.read_csv(DADA2_TAXA, index_col=0)
    seqs = list(taxa.index)
    queries = work / "asvs.fa"
    queries.write_text("".join(f">asv{i}\n{s}\n" for i, s in enumerate(seqs)))
    sintax_db = sintax_reference(work)

    started = perf_counter()
    model = NaiveBayesClassifier.train(load_reference(RDP19))
    train_s = perf_counter() - started
    started = perf_counter()
    model = load_classifier(RDP19)  # from the on-disk cache
    load_s = perf_counter() - started
    started = perf_counter()
    calls = model.classify(seqs, min_confidence=0.8)
    classify_s = perf_counter() - started
    ours = {f"asv{i}": calls.lineage(i).get("genus") for i in range(len(seqs))}

    out = work / "sintax.tsv"
    started = perf_counter()
    subprocess.run(
        [
            vsearch,
            "--sintax",
            str(queries),
            "--db",
            str(sintax_db),
            "--tabbedout",
            str(out),
            "--sintax_cutoff",
            "0.8",
            "--threads",
            str(args.threads),
            "--quiet",
        ],
        check=True,
    )
    sintax_s = perf_counter() - started
    sintax = parse_sintax(out)

    both = [(ours[q], sintax.get(q)) for q in ours if ours[q] and sintax.get(q)]
    agree = sum(a == b for a, b in both)
    print(f"ASVs: {len(seqs)}")
    print(f"gutlens train RDP 19 (no cache): {train_s:.1f} s")
    print(
        f"gutlens load cached model: {load_s:.2f} s; classify: {classify_s:.2f} s; "
        f"total {load_s + classify_s:.2f} s"
    )
    print(f"vsearch --sintax (db load + classify, {args.threads} threads): {sintax_s:.2f} s")
    print(
        f"genus calls at 0.8: gutlens {sum(bool(v) for v in ours.values())}, "
        f"sintax {sum(bool(v) for v in sintax.values())}; agree {agree}/{len(both)}"
    )
    if not args.no_dada2:
        ensure_tool("Rscript", "r-bioc-dada2")  # Debian's DADA2 brings R with it
    if shutil.which("Rscript"):
        script = work / "assign.R"
        script.write_text(
            "suppressMessages(library(dada2)); s <- readLines(commandArgs(TRUE)[1]);"
            "s <- s[!startsWith(s, '>')]; t0 <- Sys.time();"
            f"tx <- assignTaxonomy(s, '{RDP19}', multithread={args.threads});"
            "cat(as.numeric(difftime(Sys.time(), t0, units='secs')), '\\n')"
        )
        result = subprocess.run(
            ["Rscript", str(script), str(queries)], capture_output=True, text=True, check=False
        )
        print(f"DADA2 assignTaxonomy (inside R): {result.stdout.strip() or result.stderr[-300:]} s")
    else:
        print("DADA2: skipped (--no-dada2)")


if __name__ == "__main__":
    main()
