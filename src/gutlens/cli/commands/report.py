"""``gutlens report``: one sample in, an HTML, PDF or JSON report out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from gutlens.cli._app import app, err_console
from gutlens.errors import GutlensError

_LANGS = ("en", "nl")
_AUDIENCES = ("person", "practitioner")


class ReportInputError(GutlensError, ValueError):
    """A report option names a file that does not exist, or a value that is not allowed."""


def _analysis() -> Any | None:
    """``gutlens.analysis.analyze.analyze`` when this installation has it, else ``None``."""
    try:
        from gutlens.analysis.analyze import analyze
    except ImportError:
        return None
    return analyze


def _existing(path: Path | None, option: str) -> Path | None:
    if path is not None and not path.is_file():
        msg = f"{path}: no such file (given with {option})"
        raise ReportInputError(msg)
    return path


@app.command("report")
def report_command(
    path: Path | None = typer.Argument(None, help="A profile file in any supported format."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Output file; .html, .pdf or .json chooses the format."
    ),
    example: bool = typer.Option(False, "--example", help="Use the bundled example sample."),
    sample: str | None = typer.Option(
        None, "--sample", "-s", help="Sample id (needed when the file holds several)."
    ),
    format: str | None = typer.Option(None, "--format", "-f", help="Skip format detection."),
    lang: str = typer.Option("en", "--lang", help="Report language: en or nl."),
    audience: str = typer.Option(
        "person", "--audience", help="person, or practitioner for full tables and numbers."
    ),
    questionnaire: Path | None = typer.Option(
        None,
        "--questionnaire",
        help="Questionnaire (YAML/JSON): symptoms, diet, restrictions, allergies, alarm signs.",
    ),
    biomarkers: Path | None = typer.Option(
        None, "--biomarkers", help="Lab results (YAML/JSON): zonulin, calprotectin, L/M ratio..."
    ),
) -> None:
    """Make a cited gut microbiome report for one sample (not a diagnosis)."""
    from gutlens.cli._inputs import read_inputs
    from gutlens.report import build_report, write_report
    from gutlens.report.render import FORMATS, ReportOutputError

    if lang not in _LANGS:
        msg = f"--lang {lang}: choose one of {', '.join(_LANGS)}"
        raise ReportInputError(msg)
    if audience not in _AUDIENCES:
        msg = f"--audience {audience}: choose one of {', '.join(_AUDIENCES)}"
        raise ReportInputError(msg)
    if out.suffix.lower() not in FORMATS:
        msg = (
            f"{out}: cannot tell the report format from suffix {out.suffix!r}; "
            "use .html, .pdf or .json"
        )
        raise ReportOutputError(msg)
    if example:
        from gutlens.examples import example_profile_path

        path = example_profile_path()
    if path is None:
        msg = "give a profile file PATH, or --example"
        raise ReportInputError(msg)
    _existing(questionnaire, "--questionnaire")
    _existing(biomarkers, "--biomarkers")
    with err_console.status("reading the profile…") as status:
        profile = read_inputs([path], format=format).profile(sample)
        analyze = _analysis()
        results = None
        interpretation = None
        if analyze is not None:
            status.update("analysing…")
            questions = None
            if questionnaire is not None:
                from gutlens.knowledge import load_questionnaire

                questions = load_questionnaire(questionnaire)
            age = questions.age if questions is not None else None
            sex = questions.sex if questions is not None else None
            results = analyze(profile, age=age, sex=sex)
            status.update("interpreting and planning meals…")
            from gutlens.interpret import interpret

            interpretation = interpret(results, questionnaire=questions, biomarkers=biomarkers)
        status.update("building the report…")
        report = build_report(
            profile,
            results,
            interpretation,
            lang=lang,  # type: ignore[arg-type]
            audience=audience,  # type: ignore[arg-type]
            questionnaire=questionnaire,
            biomarkers=biomarkers,
        )
        status.update(f"writing {out.name}…")
        write_report(report, out)
    err_console.print(f"wrote {out} ({FORMATS[out.suffix.lower()]}, {lang}, {audience})")
