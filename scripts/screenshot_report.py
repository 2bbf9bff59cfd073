"""Render reports for real inputs and screenshot them in headless Chromium at phone and desktop
width, to look at them.

For each input (the bundled example, a MetaPhlAn 4 colorectal-cancer sample, a consumer
Kraken/Bracken report, a uBiome export) this writes ``<name>.<lang>.<audience>.html`` and
``<name>.<lang>.<audience>.<width>.png`` into ``--out``, running the real pipeline:
``analyze`` (with the questionnaire's age and sex) and ``interpret`` with the questionnaire from
issue #4 (vegan, gluten-free, tree-nut allergy, bloating) and biomarkers, so every section shows.
``--plain`` renders without questionnaire and biomarkers. Run from the repository root::

    python scripts/screenshot_report.py [--shared ../shared] [--out /tmp/gutlens-screens]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gutlens.analysis import analyze  # noqa: E402
from gutlens.errors import GutlensError  # noqa: E402
from gutlens.examples import (  # noqa: E402
    example_biomarkers_path,
    example_profile_path,
    example_questionnaire_path,
)
from gutlens.interpret import interpret  # noqa: E402
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
    parser.add_argument("--plain", action="store_true", help="No questionnaire or biomarkers.")
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
        q = None if args.plain else yaml.safe_load(example_questionnaire_path().read_text("utf-8"))
        results = analyze(profile, age=q and q["age"], sex=q and q["sex"])  # type: ignore[arg-type]
        markers = None if q is None else example_biomarkers_path()
        interpretation = interpret(results, questionnaire=q, biomarkers=markers)
        for lang, audience, widths in VARIANTS:
            report = build_report(profile, results, interpretation, lang=lang, audience=audience)  # type: ignore[arg-type]
            page = write_report(report, args.out / f"{name}.{lang}.{audience}.html")
            for width in widths:
                png = args.out / f"{name}.{lang}.{audience}.{width}.png"
                screenshot(chromium, page, png, width, args.height)
                print(f"wrote {png}")


if __name__ == "__main__":
    main()
