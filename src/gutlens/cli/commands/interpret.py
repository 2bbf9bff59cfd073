"""``gutlens interpret``: six areas, gut barrier, alarms, cited recommendations, meal plan."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer

from gutlens.cli._app import app, out_console
from gutlens.errors import GutlensError


class InterpretInputError(GutlensError, ValueError):
    """An option names a missing file, or analysis is not part of this installation."""


def _analysis() -> Callable[..., Any]:
    """``gutlens.analysis.analyze.analyze``, or a clear error when this installation lacks it."""
    try:
        from gutlens.analysis.analyze import analyze
    except ImportError as err:
        msg = "analysis not available in this installation (gutlens.analysis.analyze is missing)"
        raise InterpretInputError(msg) from err
    return analyze


def _existing(path: Path | None, option: str) -> Path | None:
    if path is not None and not path.is_file():
        msg = f"{path}: no such file (given with {option})"
        raise InterpretInputError(msg)
    return path


@app.command("interpret")
def interpret_command(
    path: Path = typer.Argument(..., help="A profile file in any supported format."),
    sample: str | None = typer.Option(
        None, "--sample", "-s", help="Sample id (needed when the file holds several)."
    ),
    questionnaire: Path | None = typer.Option(
        None, "--questionnaire", help="Questionnaire (YAML/JSON): symptoms, diet, allergies."
    ),
    biomarkers: Path | None = typer.Option(
        None, "--biomarkers", help="Measured markers (YAML/JSON), e.g. zonulin, calprotectin."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the interpretation as JSON."),
) -> None:
    """What the results mean per area, with cited recommendations (not a diagnosis)."""
    from gutlens.interpret import interpret
    from gutlens.io import read_profiles
    from gutlens.knowledge import load_biomarkers, load_questionnaire

    if not path.is_file():
        raise InterpretInputError(f"{path}: no such file")
    q = (
        load_questionnaire(path_q)
        if (path_q := _existing(questionnaire, "--questionnaire"))
        else None
    )
    markers = load_biomarkers(path_b) if (path_b := _existing(biomarkers, "--biomarkers")) else None
    analyze = _analysis()
    profile = read_profiles(path).profile(sample)
    kwargs: dict[str, Any] = {}
    params = inspect.signature(analyze).parameters
    if q is not None and "age" in params and q.age is not None:
        kwargs["age"] = q.age
    if q is not None and "sex" in params and q.sex in ("female", "male"):
        kwargs["sex"] = q.sex
    result = interpret(analyze(profile, **kwargs), q, markers)
    if as_json:
        out_console.print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False), markup=False)
        return
    _print(result.to_dict())


def _print(data: dict[str, Any]) -> None:
    say = out_console.print
    for alarm in data["alarms"]:
        say(f"SEE A DOCTOR: {alarm['message']}", markup=False)
    say(
        f"Sample {data['sample_id']} (knowledge base {data['knowledge_base']['version']}, "
        f"{data['formula_version']}); not a diagnosis.",
        markup=False,
    )
    for area in data["areas"]:
        score = "n/a" if area["score"] is None else f"{area['score']:.0f}"
        say(f"  {area['label']:<26} {score:>4}  confidence {area['confidence']:.0%}", markup=False)
    say(f"Gut barrier: {data['barrier']['summary']}", markup=False)
    for rec in data["recommendations"][:10]:
        say(
            f"  {rec['rank']}. [{rec['kind']}, {rec['evidence_grade']}] {rec['text']}", markup=False
        )
    plan = data["meal_plan"]
    if plan:
        fibre = ", ".join(f"{d['fiber_g']:.0f}" for d in plan["days"])
        say(
            f"Meal plan: 7 days, fibre per day (g): {fibre}; use --json for the meals.",
            markup=False,
        )
