"""``gutlens profile`` and ``gutlens formats``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from gutlens.cli._app import app, out_console
from gutlens.taxonomy import RANKS

if TYPE_CHECKING:
    from gutlens.model import Profile

# the readers (pandas, scipy) are imported when a command runs, not when the CLI starts


@app.command("profile")
def profile_command(
    paths: list[Path] = typer.Argument(None, help="Profile files in any supported format."),
    example: bool = typer.Option(False, "--example", help="Use the bundled example sample."),
    format: str | None = typer.Option(None, "--format", "-f", help="Skip format detection."),
    sample: list[str] = typer.Option([], "--sample", "-s", help="Only these sample ids."),
    rank: str = typer.Option("genus", "--rank", "-r", help="Rank of the top-taxa list."),
    top: int = typer.Option(10, "--top", help="How many top taxa to show."),
    as_json: bool = typer.Option(False, "--json", help="Print the normalised profiles as JSON."),
) -> None:
    """Read profiles and summarise them (format, taxa per rank, top taxa, unclassified share)."""
    from gutlens.cli._inputs import read_inputs

    if rank not in RANKS:
        raise typer.BadParameter(f"rank must be one of {', '.join(RANKS)}", param_hint="--rank")
    if example:
        from gutlens.examples import example_profile_path

        paths = [example_profile_path()]
    if not paths:
        raise typer.BadParameter("give at least one PATH, or --example", param_hint="PATH")
    table = read_inputs(paths, format=format)
    wanted = sample or table.sample_ids
    profiles: list[Profile] = [table.profile(s) for s in wanted if s in table.samples.index]
    if sample:
        found = {p.sample_id for p in profiles}
        missing = [s for s in sample if s not in found]
        if missing:
            from gutlens.errors import SampleNotFoundError

            raise SampleNotFoundError(
                f"sample(s) not found in the given files: {', '.join(missing)}"
            )
    if as_json:
        typer.echo(json.dumps({"samples": [p.to_dict() for p in profiles]}, indent=1))
        return
    for prof in profiles:
        _summarise(prof, rank, top)


def _summarise(profile: Profile, rank: str, top: int) -> None:
    from rich.table import Table

    src = profile.source
    tool = " ".join(x for x in (src.tool, src.tool_version) if x) or "unknown tool"
    out_console.rule(f"[bold]{profile.sample_id}")
    out_console.print(f"format: {src.format}   producer: {tool}   database: {src.database or '-'}")
    per_rank = profile.taxa["rank"].value_counts()
    out_console.print(
        "taxa per rank: " + ", ".join(f"{r} {int(per_rank.get(r, 0))}" for r in RANKS[:7])
    )
    reads = f"   reads: {profile.total_count:,.0f}" if profile.total_count else ""
    out_console.print(f"unclassified: {profile.unclassified_fraction:.2%}{reads}")
    table = Table(title=f"top {top} at {rank} rank (share of classified)", title_justify="left")
    table.add_column("taxon")
    table.add_column("abundance", justify="right")
    if profile.has_counts:
        table.add_column("reads", justify="right")
    counts = profile.counts_at_rank(rank)
    for name, value in profile.at_rank(rank).head(top).items():
        cells = [str(name), f"{value:.2%}"]
        if profile.has_counts:
            cells.append(f"{counts.get(name, 0):,.0f}")
        table.add_row(*cells)
    out_console.print(table)


@app.command("formats")
def formats_command() -> None:
    """List the profile formats gutlens reads."""
    from rich.table import Table

    from gutlens.io import list_formats

    table = Table(title="formats gutlens reads (detected in this order)", title_justify="left")
    table.add_column("name")
    table.add_column("what")
    table.add_column("usual suffixes")
    for fmt in list_formats():
        table.add_row(fmt.name, fmt.title, " ".join(fmt.extensions))
    out_console.print(table)
