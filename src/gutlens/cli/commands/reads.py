"""``gutlens reads``: raw 16S reads (FASTQ/FASTA) to a profile, a QC summary and the ASVs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer

from gutlens.cli._app import app, out_console, progress_bar

_READS_SUFFIX = re.compile(r"\.(fastq|fq|fasta|fa|fna)(\.gz)?$", re.IGNORECASE)


@app.command("reads")
def reads_command(
    r1: Path = typer.Argument(
        ...,
        help="R1 FASTQ (gz or plain), single-end FASTQ/FASTA, a directory of runs "
        "(files paired by _R1_/_R2_ names, one sample per pair), or a sample sheet "
        "(.csv/.tsv with sample, r1[, r2] columns).",
    ),
    r2: Path | None = typer.Argument(None, help="R2 FASTQ for paired-end runs."),
    output: Path = typer.Option(..., "--output", "-o", help="Output directory."),
    primers: tuple[str, str] | None = typer.Option(
        None, "--primers", help="Forward and reverse primer to remove (FWD REV)."
    ),
    reference: Path | None = typer.Option(
        None, "--reference", help="Training FASTA (DADA2 layout); default RDP 19."
    ),
    taxonomy: Path | None = typer.Option(
        None, "--taxonomy", help="Taxonomy TSV for an id-keyed reference FASTA (QIIME 2)."
    ),
    species: Path | None = typer.Option(
        None, "--species", help="DADA2 addSpecies FASTA for exact species matches."
    ),
    sample_id: str | None = typer.Option(None, "--sample-id", help="Sample id to use."),
    min_confidence: float = typer.Option(0.8, "--min-confidence", help="Bootstrap cutoff."),
    min_size: int = typer.Option(8, "--min-size", help="UNOISE minimum unique abundance."),
    max_ee: float = typer.Option(2.0, "--max-ee", help="Maximum expected errors per read."),
    trunc_len: tuple[int, int] = typer.Option(
        (0, 0), "--trunc-len", help="Truncate R1/R2 to these lengths (0 = off)."
    ),
    trunc_q: int = typer.Option(2, "--trunc-q", help="Truncate at the first quality <= this."),
    phix: Path | None = typer.Option(
        None, "--phix", help="FASTA of the PhiX genome (or another contaminant) to remove."
    ),
    try_reverse: bool = typer.Option(
        False, "--try-reverse", help="Classify reverse-complemented ASVs too (DADA2 tryRC)."
    ),
) -> None:
    """Quality-filter, merge, denoise and classify 16S reads into a profile.

    Writes SAMPLE_profile.tsv (lineage, rank, name, count, relative abundance),
    profiles.biom (BIOM 2.1 HDF5, every sample),
    SAMPLE_profile.json (a "samples" list), SAMPLE_qc.json and SAMPLE_asvs.tsv per sample,
    and profiles.json with every sample when R1 is a directory.
    """
    from gutlens.reads import FilterSettings, profile_reads, profile_samples, read_sample_sheet

    settings = FilterSettings(
        trunc_q=trunc_q, trunc_len=(trunc_len[0], trunc_len[1]), max_ee=max_ee
    )
    with progress_bar() as bar:
        task = bar.add_task("reading", total=1.0)

        def report(stage: str, fraction: float) -> None:
            bar.update(task, description=stage, completed=fraction)

        options = {
            "primers": primers,
            "reference": reference,
            "reference_taxonomy": taxonomy,
            "species_reference": species,
            "settings": settings,
            "min_size": min_size,
            "min_confidence": min_confidence,
            "try_reverse": try_reverse,
            "phix": phix,
        }
        if r1.suffix.lower() in (".csv", ".tsv") and r1.is_file():
            groups = read_sample_sheet(r1)
            table, summaries, asv_tables = profile_samples(
                groups=groups,
                progress=report,
                **options,  # type: ignore[arg-type]
            )
        elif r1.is_dir():
            files = [
                p
                for p in sorted(r1.iterdir())
                if p.is_file() and _READS_SUFFIX.search(p.name) is not None
            ]
            table, summaries, asv_tables = profile_samples(
                files,
                progress=report,
                **options,  # type: ignore[arg-type]
            )
        else:
            one, summary, asvs = profile_reads(
                r1,
                r2,
                sample_id=sample_id,
                progress=report,
                **options,  # type: ignore[arg-type]
            )
            table, summaries, asv_tables = one, [summary], [asvs]
    output.mkdir(parents=True, exist_ok=True)
    profiles = []
    for summary, asvs in zip(summaries, asv_tables, strict=True):
        profile = table.profile(summary.sample_id)
        profiles.append(profile.to_dict())
        stem = output / profile.sample_id
        frame = profile.taxa[["rank", "name", "count", "relative_abundance"]]
        frame.to_csv(f"{stem}_profile.tsv", sep="\t", index_label="lineage")
        Path(f"{stem}_profile.json").write_text(
            json.dumps({"samples": [profile.to_dict()]}, indent=1), encoding="utf-8"
        )
        Path(f"{stem}_qc.json").write_text(
            json.dumps(summary.to_dict(), indent=1), encoding="utf-8"
        )
        asvs.to_frame().to_csv(f"{stem}_asvs.tsv", sep="\t", index=False)
        out_console.print(
            f"{profile.sample_id}: {summary.reads_in:,} reads in, {summary.reads_out:,} in "
            f"{summary.asvs} ASVs, {summary.classified_genus:,} classified to genus -> {output}/"
        )
        for note in summary.notes + summary.flags:
            out_console.print(f"note: {note}")
    if len(profiles) > 1:
        (output / "profiles.json").write_text(
            json.dumps({"samples": profiles}, indent=1), encoding="utf-8"
        )
    _write_biom(table, output / "profiles.biom")


def _write_biom(table: object, path: Path) -> None:
    """All samples as one BIOM 2.1 (HDF5) table of per-taxon counts with lineages."""
    import h5py

    from gutlens._version import __version__

    with h5py.File(path, "w") as handle:
        table.to_biom().to_hdf5(handle, f"gutlens {__version__}")  # type: ignore[attr-defined]
