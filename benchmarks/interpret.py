"""Benchmark: ``gutlens.interpret.interpret`` with meal-plan optimisation (goal: < 1 s/sample).

Run ``PYTHONPATH=src:. python benchmarks/interpret.py [--effects]`` from the repository root
(needs ``../shared/data``). Results for real MetAML samples are built by
``tests/interpret/cohort.py`` (the analysis layer's ``analyze`` is timed by its own benchmark);
the knowledge base is loaded once, then ``interpret`` is timed per sample, with a questionnaire
of a different diet for each sample (so the meal plan is solved each time).

``--effects`` also prints, for every MetAML study with cases, Cliff's delta and the mean
difference of each area score between all its healthy controls and its cases.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
from tests.interpret.cohort import cohort_results, metaml_table

from gutlens.interpret import interpret
from gutlens.knowledge import load_knowledge_base

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
QUESTIONNAIRES = [
    {"diet": "omnivore"},
    {
        "diet": "vegan",
        "restrictions": ["gluten_free"],
        "allergies": ["tree_nuts"],
        "symptoms": {"bloating": 3, "gas": 2},
    },
    {
        "diet": "vegetarian",
        "restrictions": ["lactose_free", "low_fodmap"],
        "symptoms": {"constipation": 3},
    },
    {
        "diet": "pescatarian",
        "allergies": ["soy", "sesame"],
        "fiber_target_g": 40,
        "antibiotics_last_3_months": True,
    },
]
STUDIES = {
    "IBD (Nielsen 2014)": (
        "Neilsen_genome_assembly",
        ("ibd_ulcerative_colitis", "ibd_crohn_disease"),
    ),
    "CRC (Zeller 2014)": ("Zeller_fecal_colorectal_cancer", ("cancer",)),
    "T2D (Qin 2012)": ("t2dmeta_long", ("t2d",)),
    "T2D (Karlsson 2013)": ("WT2D", ("t2d",)),
    "cirrhosis (Qin 2014)": ("Quin_gut_liver_cirrhosis", ("cirrhosis",)),
}


def cliffs_delta(a: list[float], b: list[float]) -> float:
    x, y = np.asarray(a)[:, None], np.asarray(b)[None, :]
    return float(((x > y).sum() - (x < y).sum()) / (x.size * y.size))


def timing(n: int, tmp: Path) -> None:
    t0 = time.perf_counter()
    kb = load_knowledge_base()
    print(f"knowledge base {kb.version} loaded in {time.perf_counter() - t0:.2f} s")
    samples, _ = metaml_table(DATA)
    uids = sorted(samples["sample_uid"])[::97][:n]
    results = cohort_results(DATA, uids, tmp)
    interpret(results[0], QUESTIONNAIRES[0], kb=kb)  # warm caches (fact links, food pool)
    wall, cpu = [], []
    for i, res in enumerate(results):
        w, c = time.perf_counter(), time.process_time()
        out = interpret(res, QUESTIONNAIRES[i % len(QUESTIONNAIRES)], kb=kb)
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
        assert out.meal_plan is not None
    print(
        f"interpret incl. meal plan, {len(wall)} samples: median {statistics.median(wall):.3f} s "
        f"wall / {statistics.median(cpu):.3f} s CPU, max {max(wall):.3f} s wall"
    )
    w = time.perf_counter()
    for res in results:
        interpret(res, kb=kb, meal_plan=False)
    print(f"interpret without meal plan: {(time.perf_counter() - w) / len(results):.4f} s/sample")


def effects(tmp: Path) -> None:
    samples, _ = metaml_table(DATA)
    for label, (study, cases) in STUDIES.items():
        s = samples[samples["dataset_name"] == study]
        groups = {
            "healthy": sorted(s.loc[s["disease"] == "n", "sample_uid"]),
            "cases": sorted(s.loc[s["disease"].isin(cases), "sample_uid"]),
        }
        scores = {
            g: [
                {a.name: a.score for a in interpret(r, meal_plan=False).areas}
                for r in cohort_results(DATA, ids, tmp)
            ]
            for g, ids in groups.items()
        }
        print(f"{label}: healthy n={len(groups['healthy'])}, cases n={len(groups['cases'])}")
        for area in scores["healthy"][0]:
            h = [x[area] for x in scores["healthy"] if x[area] is not None]
            c = [x[area] for x in scores["cases"] if x[area] is not None]
            print(
                f"  {area:11s} healthy {np.mean(h):5.1f}  cases {np.mean(c):5.1f}  "
                f"diff {np.mean(h) - np.mean(c):+5.2f}  Cliff's delta {cliffs_delta(h, c):+.2f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=12)
    parser.add_argument("--effects", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        timing(args.samples, Path(tmp))
        if args.effects:
            effects(Path(tmp))


if __name__ == "__main__":
    main()
