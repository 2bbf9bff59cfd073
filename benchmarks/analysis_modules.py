"""Per-sample time of the standalone analysis modules (guilds, enterotype, quality flags,
health model) on the 1,989 MetAML samples, after loading.

Run from the repository root (needs ``../shared``)::

    python benchmarks/analysis_modules.py [--shared ../shared] [--n 300]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _metaml import load_metaml

from gutlens.analysis.enterotype import enterotype
from gutlens.analysis.guilds import guild_shares
from gutlens.analysis.health_model import health_probability
from gutlens.analysis.quality import quality_flags

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    start = time.perf_counter()
    table, _, _ = load_metaml(args.shared)
    print(f"load: {time.perf_counter() - start:.2f} s for {len(table)} samples")
    profiles = [table.profile(s) for s in table.sample_ids[: args.n]]
    for name, function in [
        ("guild_shares", guild_shares),
        ("enterotype", enterotype),
        ("quality_flags", quality_flags),
        ("health_probability", health_probability),
    ]:
        function(profiles[0])  # load the shipped data once
        start = time.perf_counter()
        for profile in profiles:
            function(profile)
        elapsed = time.perf_counter() - start
        print(f"{name:20s} {1000 * elapsed / len(profiles):6.2f} ms/sample")


if __name__ == "__main__":
    main()
