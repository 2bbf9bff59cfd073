"""Session fixtures: real profiles, Results computed from real reference files, built reports."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from gutlens.analysis.results import Results
from gutlens.examples import example_profile_path
from gutlens.io import read_profile
from gutlens.model import Profile
from gutlens.report import Report, build_report, render_html
from gutlens.report.pdf import CHROMIUM_FLAGS
from tests.report.fixtures import results_for

DAY = date(2026, 3, 14)


@pytest.fixture(scope="session")
def example() -> Profile:
    return read_profile(example_profile_path())


@pytest.fixture(scope="session")
def example_results(example: Profile, data_dir: Path) -> Results:
    return results_for(example, data_dir)


@pytest.fixture(scope="session")
def bare_report(example: Profile) -> Report:
    """The example without analysis results (what the CLI makes today)."""
    return build_report(example, today=DAY)


@pytest.fixture(scope="session")
def full_report(example: Profile, example_results: Results) -> Report:
    return build_report(example, example_results, today=DAY)


@pytest.fixture(scope="session")
def reports(example: Profile, example_results: Results) -> dict[tuple[str, str], Report]:
    """Full reports in every language and audience."""
    return {
        (lang, audience): build_report(
            example, example_results, lang=lang, audience=audience, today=DAY
        )
        for lang in ("en", "nl")
        for audience in ("person", "practitioner")
    }


@pytest.fixture(scope="session")
def full_html(full_report: Report) -> str:
    return render_html(full_report)


def chromium_or_skip() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("chromium is not installed (apt-get install chromium); CI installs it")


def chromium_console(html_path: Path, tmp: Path) -> tuple[str, str]:
    """Load ``html_path`` in headless Chromium; return (dumped DOM, console lines)."""
    binary = chromium_or_skip()
    done = subprocess.run(
        [
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={tmp / 'chromium-profile'}",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
            html_path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    console = "\n".join(ln for ln in done.stderr.splitlines() if "CONSOLE" in ln)
    return done.stdout, console
