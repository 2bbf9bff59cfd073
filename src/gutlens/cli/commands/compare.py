"""``gutlens compare``: two or more samples of one person, what changed and whether it matters."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import typer

from gutlens.cli._app import app, err_console
from gutlens.errors import GutlensError

#: Profile metadata fields that may hold a sampling date (uBiome ``sampling_time`` ...).
DATE_FIELDS = ("sampling_time", "collection_date", "sample_date", "date", "collected")


class CompareInputError(GutlensError, ValueError):
    """The samples or dates given to ``gutlens compare`` cannot be used."""


def parse_date(text: str, *, where: str) -> date:
    """An ISO date (``2024-05-01``) or timestamp (``2017-07-06T04:00:00.000Z``)."""
    value = text.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError as err:
        msg = f"{where}: expected a date like 2024-05-01, found {value!r}"
        raise CompareInputError(msg) from err


def _metadata_date(metadata: dict[str, Any], sample: str) -> date | None:
    for key in DATE_FIELDS:
        if metadata.get(key):
            return parse_date(str(metadata[key]), where=f"sample {sample}, field {key!r}")
    return None


@app.command("compare")
def compare_command(
    paths: list[Path] = typer.Argument(..., help="Profile files of one person (any format)."),
    out: Path = typer.Option(..., "--out", "-o", help=".html, .pdf or .json chooses the format."),
    sample: list[str] = typer.Option([], "--sample", "-s", help="Sample ids to compare."),
    dates: str | None = typer.Option(
        None, "--dates", help="Sampling dates in sample order, comma-separated (2024-05-01,...)."
    ),
    lang: str = typer.Option("en", "--lang", help="Language: en or nl."),
) -> None:
    """Compare two or more samples of one person over time (trend charts, cited variability)."""
    from gutlens.analysis.change import compare_results
    from gutlens.cli._inputs import read_inputs
    from gutlens.report.compare import write_comparison

    try:
        from gutlens.analysis.analyze import analyze
    except ImportError as err:
        msg = "analysis is not available in this installation; compare needs it"
        raise CompareInputError(msg) from err
    table = read_inputs(paths)
    wanted = sample or table.sample_ids
    profiles = [table.profile(s) for s in wanted]
    if dates is not None:
        given = [d for d in dates.split(",") if d.strip()]
        if len(given) != len(profiles):
            msg = f"--dates gives {len(given)} dates for {len(profiles)} samples"
            raise CompareInputError(msg)
        when: list[date | None] = [parse_date(d, where="--dates") for d in given]
    else:
        when = [_metadata_date(p.metadata, p.sample_id) for p in profiles]
    with err_console.status("analysing samples"):
        results = [analyze(p) for p in profiles]
    comparison = compare_results(results, dates=when)
    written = write_comparison(comparison, out, lang=lang)
    err_console.print(f"wrote {written}")
