"""Render reports for real inputs and screenshot them in headless Chromium at phone and desktop
width, to look at them.

For each input (the bundled example, a MetaPhlAn 4 colorectal-cancer sample, a consumer
Kraken/Bracken report, a uBiome export) this writes ``<name>.<lang>.<audience>.html`` and
``<name>.<lang>.<audience>.<width>.png`` into ``--out``. Inputs whose reader is not in this
gutlens are skipped with a message. With the shared data present, the analysis sections are
filled from the reference files the report tests use (``tests/report/fixtures.py``); until
``gutlens.analysis.analyze`` exists that is the only way to see them. Run from the repository root::

    python scripts/screenshot_report.py [--shared ../shared] [--out /tmp/gutlens-screens]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from gutlens.errors import GutlensError  # noqa: E402
from gutlens.examples import example_profile_path  # noqa: E402
from gutlens.io import read_profile  # noqa: E402
from gutlens.report import build_report, write_report  # noqa: E402
from gutlens.report.pdf import CHROMIUM_FLAGS, find_chromium  # noqa: E402

INPUTS = {
    "example": None,
    "metaphlan4_crc": "inputs/metaphlan4/14-MDCOL003-Stool-1B-Baseline-BSB-2-4-1-4.output.txt",
    "bracken_consumer": "inputs/bracken/Ombre6_Kraken2_bracken.kreport",
    "ubiome": "inputs/consumer/ubiome_json",
}
VARIANTS = [("en", "person", (390, 1280)), ("nl", "practitioner", (1280,))]


def screenshot(chromium: str, page: Path, png: Path, width: int, height: int) -> None:
    """Screenshot ``page`` at ``width`` x ``height`` CSS pixels."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp}",
                "--hide-scrollbars",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                page.as_uri(),
            ],
            capture_output=True,
            check=True,
            timeout=120,
        )


def _input_path(shared: Path, relative: str | None) -> Path | None:
    if relative is None:
        return example_profile_path()
    path = shared / "data" / relative
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix == ".json")
        return files[0] if files else None
    return path if path.exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "gutlens-screens")
    parser.add_argument("--height", type=int, default=2400)
    parser.add_argument("--no-results", action="store_true", help="Profile-only reports.")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    chromium = find_chromium()
    for name, relative in INPUTS.items():
        path = _input_path(args.shared, relative)
        if path is None:
            print(f"skip {name}: {relative} not found")
            continue
        try:
            profile = read_profile(path)
        except GutlensError as err:
            print(f"skip {name}: {err}")
            continue
        results = None
        if not args.no_results and (args.shared / "data").is_dir():
            from tests.report.fixtures import results_for

            results = results_for(profile, args.shared / "data")
        for lang, audience, widths in VARIANTS:
            report = build_report(profile, results, lang=lang, audience=audience)  # type: ignore[arg-type]
            page = write_report(report, args.out / f"{name}.{lang}.{audience}.html")
            for width in widths:
                png = args.out / f"{name}.{lang}.{audience}.{width}.png"
                screenshot(chromium, page, png, width, args.height)
                print(f"wrote {png}")


if __name__ == "__main__":
    main()
