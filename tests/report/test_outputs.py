"""PDF (pdftotext), JSON and its shipped schema, and the ``gutlens report`` command."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from gutlens.cli._app import run
from gutlens.report import Report, report_json, write_report
from gutlens.report.json_schema import report_json_schema, schema_text, shipped_schema
from gutlens.report.model import Report as ReportModel
from tests.report.conftest import chromium_or_skip


def test_shipped_schema_equals_generated() -> None:
    assert shipped_schema() == schema_text()


def test_json_validates_against_the_schema(reports: dict[tuple[str, str], Report]) -> None:
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema not installed")
    for report in reports.values():
        data = json.loads(report_json(report))
        jsonschema.validate(data, report_json_schema())
        assert ReportModel.model_validate(data) == report
    assert data["format"] == "gutlens.report"
    assert data["format_version"] == "1"


def test_pdf_has_the_expected_text(full_report: Report, tmp_path: Path) -> None:
    chromium_or_skip()
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils); CI installs it")
    out = write_report(full_report, tmp_path / "report.pdf")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.count("\f")
    assert pages >= 3
    assert f"Page 1 / {pages}" in text.replace("\u00a0", " ")
    assert "Your gut microbiome report · example_metaphlan4_stool" in text  # running header
    for needle in (
        "Summary",
        "Diversity",
        "Which bacteria were found",
        "Published health indices",
        "This report is not a diagnosis.",
        "10.1016/S2468-1253(24)00311-X",
        "Bacteroidota",
    ):
        assert needle in text, needle


def test_cli_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    html = tmp_path / "r.html"
    assert run(["report", "--example", "-o", str(html), "--lang", "nl"]) == 0
    text = html.read_text(encoding="utf-8")
    assert '<html lang="nl">' in text
    assert "Jouw darmmicrobioomrapport" in text
    out = tmp_path / "r.json"
    assert run(["report", "--example", "-o", str(out), "--audience", "practitioner"]) == 0
    data = json.loads(out.read_text())
    assert data["audience"] == "practitioner"
    assert data["provenance"]["input_name"] == "example_metaphlan4_stool.txt"
    assert "wrote" in capsys.readouterr().err


QUESTIONNAIRE = """age: 41
sex: female
diet: vegan            # omnivore | pescatarian | vegetarian | vegan
restrictions: [gluten_free]            # also lactose_free, low_fodmap
allergies: [tree_nuts]                 # also peanuts, soy, egg, fish, shellfish, milk, sesame
symptoms: {bloating: 3, gas: 2, abdominal_pain: 1, constipation: 0, diarrhea: 0, fatigue: 2}
bristol_stool_type: 4
antibiotics_last_3_months: false
medications: [ppi]
alarm_symptoms: [blood_in_stool]
"""


def test_cli_uses_questionnaire_and_biomarkers(tmp_path: Path, inputs: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(QUESTIONNAIRE)
    labs = tmp_path / "labs.yaml"
    labs.write_text(
        "zonulin: {value: 48, unit: ng/mL}\ncalprotectin: {value: 35, unit: ug/g}\n"
        "secretory_iga: {value: 1200, unit: ug/g}\n"
    )
    out = tmp_path / "r.json"
    profile = inputs / "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt"
    argv = ["report", str(profile), "-o", str(out), "--questionnaire", str(answers)]
    assert run([*argv, "--biomarkers", str(labs)]) == 0
    data = json.loads(out.read_text())
    ids = [s["id"] for s in data["sections"]]
    for section in ("barrier", "areas", "recommendations", "meal_plan"):
        assert section in ids
    # the alarm symptom puts a "see a doctor" notice first
    assert data["alarms"][0]["code"] == "alarm.blood_in_stool"
    assert "see a doctor" in data["alarms"][0]["text"]
    barrier = next(s for s in data["sections"] if s["id"] == "barrier")
    rows = [row for t in barrier["tables"] for row in t["rows"]]
    assert any("zonulin" in row[0].lower() and row[1].startswith("48") for row in rows)
    # measured values as the lab wrote them, micro units with the micro sign
    values = {row[0]: row[1] for row in rows}
    assert values["Faecal calprotectin"] == "35 µg/g"
    assert values["Faecal secretory IgA (sIgA)"] == "1,200 µg/g"
    assert not any("ug/" in n["text"] for n in barrier["notes"])
    # the blood-in-stool alarm cites the study listing it and the ACG/BSG 2021 guidelines
    refs = {ref["key"]: ref for ref in data["references"]}
    alarm_dois = {refs[k].get("doi") for k in data["alarms"][0]["citations"]}
    assert {"10.1186/1471-230X-11-96", "10.14309/ajg.0000000000001036"} <= alarm_dois
    # each measured marker gets its range note and limits; sIgA says it has no interval
    notes = {n["text"].split(":")[0]: n for n in barrier["notes"]}
    siga = notes["Lab value Faecal secretory IgA (sIgA)"]
    assert "No peer-reviewed reference interval" in siga["text"] and not siga["citations"]
    cal = notes["Lab value Faecal calprotectin"]
    assert "positive predictive value only 9%" in cal["text"]
    assert "10.1111/apt.17754" in {refs[k].get("doi") for k in cal["citations"]}
    # every finding of the interpretation sections cites a DOI or PMID in the reference list
    numbered = {ref["key"] for ref in data["references"]}
    for section in data["sections"]:
        if section["id"] in ("barrier", "areas", "recommendations"):
            for finding in section["findings"]:
                assert finding["citations"], finding["id"]
                assert set(finding["citations"]) <= numbered
    # vegan + gluten-free + tree-nut allergy: nothing animal, no gluten grain, no tree nut
    meals = next(s for s in data["sections"] if s["id"] == "meal_plan")
    foods = " ".join(cell.lower() for t in meals["tables"] for row in t["rows"] for cell in row)
    for banned in ("beef", "chicken", "cheese", "milk", "egg", "wheat", "almonds?", "walnuts?"):
        assert re.search(rf"\b{banned}\b", foods) is None, banned  # buckwheat is gluten-free
    # the plan's days give far more than the 30 g floor, and the report says so, with the mean
    days = [
        float(m.group(1))
        for t in meals["tables"]
        if (m := re.search(r" - (\d+) g fibre", t["caption"]))
    ]
    assert len(days) == 7 and min(days) >= 30
    mean = sum(days) / 7
    assert mean > 45  # this plan: 51-62 g a day (the plan is deterministic)
    (above,) = [n["text"] for n in meals["notes"] if "on average" in n["text"]]
    assert "above the target of 30 g" in above
    assert abs(float(re.search(r"give (\d+) g", above).group(1)) - mean) <= 1


def test_cli_refuses_a_bad_biomarker_file(
    tmp_path: Path, inputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labs = tmp_path / "labs.yaml"
    labs.write_text("zonulin: {value: -3, unit: ng/mL}\n")
    profile = inputs / "metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt"
    out = tmp_path / "r.json"
    assert run(["report", str(profile), "-o", str(out), "--biomarkers", str(labs)]) == 1
    err = capsys.readouterr().err
    assert "labs.yaml" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-o", "r.docx"], "use .html, .pdf or .json"),
        (["-o", "r.html", "--questionnaire", "nope.yaml"], "nope.yaml: no such file"),
        (["-o", "r.html", "--sample", "nobody"], "no sample 'nobody'"),
        (["-o", "missing-dir/r.html"], "does not exist"),
    ],
)
def test_cli_errors_are_one_line(
    extra: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "report",
        "--example",
        *[str(tmp_path / a) if a.startswith(("r.", "nope", "missing")) else a for a in extra],
    ]
    assert run(argv) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_cli_rejects_unknown_language_and_audience(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "r.html")
    assert run(["report", "--example", "-o", out, "--lang", "fr"]) == 1
    assert run(["report", "--example", "-o", out, "--audience", "doctor"]) == 1
    assert run(["report", "-o", out]) == 1
    err = capsys.readouterr().err
    assert "--lang fr: choose one of en, nl" in err
    assert "--audience doctor: choose one of person, practitioner" in err
    assert "give a profile file PATH, or --example" in err
