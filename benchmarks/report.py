"""Report speed: one HTML report in-process, a fresh ``gutlens report`` process, and a PDF.

Goals (issue 5): HTML in-process < 1 s, fresh process < 2 s, PDF < 5 s. Run from the repository
root::

    python benchmarks/report.py [--repeat 5]

Fresh processes are timed from launch to exit (``subprocess.run``), as a user waits for them.
One untimed run first writes the bytecode caches an installed package has (``__pycache__``, and
gutlens' per-user compiled-template cache); ``PYTHONDONTWRITEBYTECODE`` is removed for the child
processes for that reason. The "cold" line gives every run an empty template cache.
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
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gutlens.analysis.analyze import analyze  # noqa: E402
from gutlens.examples import example_profile_path  # noqa: E402
from gutlens.interpret import interpret  # noqa: E402
from gutlens.io import read_profile  # noqa: E402
from gutlens.report import Report, build_report, render_html, write_report  # noqa: E402


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
    load = os.getloadavg()[0]
    path = example_profile_path()
    tmp = Path(tempfile.mkdtemp(prefix="gutlens-bench-"))
    os.environ["GUTLENS_CACHE_DIR"] = str(tmp / "cache")  # in-process renders too
    rows: list[tuple[str, list[float], float | None]] = []

    def full() -> Report:
        """What ``gutlens report`` does: read, analyse, interpret (with meal plan), build."""
        profile = read_profile(path)
        results = analyze(profile)
        return build_report(profile, results, interpret(results))

    first = _time(lambda: render_html(full()), 1)
    rows.append(("HTML in-process, first (loads reference + KB)", first, 1.0))
    warm = _time(lambda: render_html(full()), args.repeat)
    rows.append(("HTML in-process, full report", warm, 1.0))
    bare = _time(lambda: render_html(build_report(read_profile(path))), args.repeat)
    rows.append(("  profile-only report (no analysis)", bare, 1.0))

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "GUTLENS_CACHE_DIR": str(tmp / "cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "gutlens", "report", "--example", "-o", str(tmp / "r.html")]

    def fresh(extra: dict[str, str] | None = None) -> None:
        subprocess.run(command, env={**env, **(extra or {})}, check=True, capture_output=True)

    fresh()  # untimed: writes __pycache__ and the template cache, as an installed gutlens has
    proc: list[float] = []
    proc_cold: list[float] = []
    cpu = 0.0
    for i in range(args.repeat):  # warm and cold runs alternate, so load changes hit both
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc += _time(fresh, 1)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        proc_cold += _time(partial(fresh, {"GUTLENS_CACHE_DIR": str(tmp / f"cold{i}")}), 1)
    cpu /= args.repeat
    rows.append(("fresh `gutlens report --example -o r.html`", proc, 2.0))
    rows.append(("  same, empty template cache (first run)", proc_cold, 2.0))
    base = [sys.executable, "-m", "gutlens", "formats"]
    baseline = _time(lambda: subprocess.run(base, env=env, check=True, capture_output=True), 3)
    rows.append(("fresh `gutlens formats` (import baseline)", baseline, None))
    helps = [sys.executable, "-m", "gutlens", "--help"]
    help_times = _time(lambda: subprocess.run(helps, env=env, check=True, capture_output=True), 3)
    rows.append(("fresh `gutlens --help` (no goal set)", help_times, None))

    report = full()
    pdf = _time(lambda: write_report(report, tmp / "r.pdf"), max(1, args.repeat // 2))
    rows.append(("PDF (full report) via headless Chromium", pdf, 5.0))

    print(f"load average at the start: {load:.2f} on {os.cpu_count()} CPUs")
    print(f"{'case':46} {'median s':>9} {'max s':>7} {'goal s':>7}")
    for name, times, goal in rows:
        shown = "-" if goal is None else f"{goal:.1f}"
        print(f"{name:46} {statistics.median(times):9.3f} {max(times):7.3f} {shown:>7}")
    print(f"CPU time (user + sys) of one fresh `gutlens report` process: {cpu:.3f} s")
    print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
