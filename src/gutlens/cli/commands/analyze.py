"""``gutlens analyze``: diversity, published indices and reference percentiles per sample."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gutlens.cli._app import app, err_console, out_console, progress_bar
from gutlens.errors import SampleNotFoundError

if TYPE_CHECKING:
    from gutlens.analysis import Results, SkippedSample

# pandas, scipy and the analysis modules are imported when the command runs, not when the
# CLI starts (``gutlens --help`` and other commands do not pay for them)


@app.command("analyze")
def analyze_command(
    paths: list[Path] = typer.Argument(None, help="Profile files in any supported format."),
    example: bool = typer.Option(False, "--example", help="Use the bundled example sample."),
    format: str | None = typer.Option(None, "--format", "-f", help="Skip format detection."),
    sample: list[str] = typer.Option([], "--sample", "-s", help="Only these sample ids."),
    rank: str = typer.Option("species", "--rank", "-r", help="Rank for diversity: species/genus."),
    as_json: bool = typer.Option(False, "--json", help="Print the results as JSON."),
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1, help="Processes to use (2 on a 2-core machine for big tables)."
    ),
    skip_failed: bool = typer.Option(
        False,
        "--skip-failed",
        help="Leave out samples that cannot be analysed (named on stderr and in the JSON).",
    ),
) -> None:
    """Analyse samples against the healthy reference (research use, not a diagnosis)."""
    from collections.abc import Iterable

    from gutlens.analysis.batch import analyze_table, iter_analyze_table
    from gutlens.cli._inputs import read_inputs

    if example:
        from gutlens.examples import example_profile_path

        paths = [example_profile_path()]
    if not paths:
        raise typer.BadParameter("give at least one PATH, or --example", param_hint="PATH")
    table = read_inputs(paths, format=format)
    missing = [s for s in sample if s not in table.samples.index]
    if missing:
        shown = ", ".join(table.sample_ids[:5])
        msg = f"sample(s) not found in the given files: {', '.join(missing)} (samples: {shown})"
        raise SampleNotFoundError(msg)
    skipped: list[SkippedSample] | None = [] if skip_failed else None

    def analysed() -> Iterable[Results]:
        # several processes: all at once; one: each sample as it is computed
        if jobs > 1:
            return analyze_table(
                table, rank=rank, samples=sample or None, n_jobs=jobs, skipped=skipped
            )
        return iter_analyze_table(table, rank=rank, samples=sample or None, skipped=skipped)

    if as_json:
        n = len(sample) if sample else len(table)
        with progress_bar() as bar:  # on stderr, shown only on a terminal
            label = f"analysing {n:,} samples on {jobs} processes" if jobs > 1 else "analysing"
            task = bar.add_task(label, total=None if jobs > 1 else n)
            done = []
            for result in analysed():
                done.append(result.to_dict())
                bar.advance(task)
        out: dict[str, object] = {"samples": done}
        if skipped is not None:
            out["skipped"] = [s.model_dump() for s in skipped]
        typer.echo(json.dumps(out, indent=1))
    else:
        for result in analysed():
            _summarise(result)
    _warn_skipped(skipped)


def _warn_skipped(skipped: list[SkippedSample] | None) -> None:
    if skipped:
        err_console.print(f"[yellow]skipped {len(skipped)} sample(s) that could not be analysed:")
        for item in skipped:
            err_console.print(f"  {item.sample_id}: {item.reason}", markup=False)


def _fmt(value: float | None, pattern: str = "{:.3f}") -> str:
    return "-" if value is None else pattern.format(value)


def _summarise(result: Results) -> None:
    from rich.table import Table

    ref = result.reference
    out_console.rule(f"[bold]{result.sample_id}")
    stratum = f", {ref.stratum}" if ref.stratum else ""
    out_console.print(f"reference: {ref.name} {ref.version} (n={ref.n}{stratum}; {ref.citation})")
    if ref.cross_platform:
        share = _fmt(ref.unmapped_fraction, "{:.1%}")
        out_console.print(f"[yellow]cross-platform comparison; unmapped share {share}")
    table = Table(title=f"alpha diversity ({result.alpha.rank})", title_justify="left")
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("reference percentile", justify="right")
    for metric in ("richness", "shannon", "simpson", "inverse_simpson", "pielou", "chao1", "ace"):
        value = getattr(result.alpha, metric)
        if value is None and metric in ("chao1", "ace"):
            continue
        pct = result.alpha.percentiles.get(metric)
        table.add_row(metric, _fmt(value), _fmt(pct, "{:.0f}"))
    for index in result.indices.values():
        table.add_row(index.name, _fmt(index.value), _fmt(index.percentile, "{:.0f}"))
    if result.dysbiosis is not None:
        table.add_row(
            "dysbiosis (median BC)",
            _fmt(result.dysbiosis.median_distance),
            _fmt(result.dysbiosis.percentile, "{:.0f}"),
        )
    out_console.print(table)
    top = [t for t in result.taxa_percentiles if t.rank == "species"][:8]
    if top:
        taxa = Table(title="top species vs reference", title_justify="left")
        taxa.add_column("species")
        taxa.add_column("abundance", justify="right")
        taxa.add_column("percentile", justify="right")
        taxa.add_column("prevalence", justify="right")
        for item in top:
            taxa.add_row(
                item.name,
                f"{item.relative_abundance:.2%}",
                _fmt(item.percentile, "{:.0f}"),
                _fmt(item.prevalence, "{:.0%}"),
            )
        out_console.print(taxa)
    for note in ref.notes + result.alpha.notes:
        out_console.print(f"[dim]note: {note}")
    out_console.print("[dim]Research indices, not a medical diagnosis.")
