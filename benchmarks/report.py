"""Report speed: one HTML report in-process, a fresh ``gutlens report`` process, and a PDF.

Goals (issue 5): HTML in-process < 1 s, fresh process < 2 s, PDF < 5 s. Run from the repository
root::

    python benchmarks/report.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gutlens.examples import example_profile_path  # noqa: E402
from gutlens.io import read_profile  # noqa: E402
from gutlens.report import build_report, render_html, write_report  # noqa: E402


def _time(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    path = example_profile_path()
    tmp = Path(tempfile.mkdtemp(prefix="gutlens-bench-"))
    rows = []

    first = _time(lambda: render_html(build_report(read_profile(path))), 1)
    rows.append(("HTML in-process, first (cold caches)", first, 1.0))
    warm = _time(lambda: render_html(build_report(read_profile(path))), args.repeat)
    rows.append(("HTML in-process, read + build + render", warm, 1.0))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [sys.executable, "-m", "gutlens", "report", "--example", "-o", str(tmp / "r.html")]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = _time(
        lambda: subprocess.run(command, env=env, check=True, capture_output=True), args.repeat
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) / args.repeat
    rows.append(("fresh `gutlens report --example -o r.html`", proc, 2.0))
    base = [sys.executable, "-m", "gutlens", "formats"]
    baseline = _time(lambda: subprocess.run(base, env=env, check=True, capture_output=True), 3)
    rows.append(("fresh `gutlens formats` (import baseline)", baseline, 2.0))

    report = build_report(read_profile(path))
    pdf = _time(lambda: write_report(report, tmp / "r.pdf"), max(1, args.repeat // 2))
    rows.append(("PDF via headless Chromium", pdf, 5.0))

    print(f"{'case':46} {'median s':>9} {'max s':>7} {'goal s':>7}")
    for name, times, goal in rows:
        print(f"{name:46} {statistics.median(times):9.3f} {max(times):7.3f} {goal:7.1f}")
    print(f"CPU time (user + sys) of one fresh `gutlens report` process: {cpu:.3f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
