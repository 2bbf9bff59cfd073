"""Benchmark: seven-day meal plan optimisation (goal: under 1 s per plan).

Run ``python benchmarks/mealplan.py`` from the repository root (``PYTHONPATH=src`` if gutlens is
not installed). Loads the knowledge base once, then times ``plan_meals`` for a few diets.
"""

from __future__ import annotations

import statistics
import time

from gutlens.knowledge import load_knowledge_base
from gutlens.knowledge.mealplan import plan_meals

CASES = {
    "omnivore": {"diet": "omnivore"},
    "vegan, gluten-free, tree-nut allergy": {
        "diet": "vegan",
        "restrictions": ["gluten_free"],
        "allergies": ["tree_nuts"],
    },
    "vegetarian, lactose-free, prefers lentils/oats": {
        "diet": "vegetarian",
        "restrictions": ["lactose_free"],
        "preferred": ["lentils", "oats"],
    },
    "vegetarian, low-FODMAP": {"diet": "vegetarian", "restrictions": ["low_fodmap"]},
    "pescatarian, fibre 40 g, soy + sesame allergy": {
        "diet": "pescatarian",
        "allergies": ["soy", "sesame"],
        "fiber_target_g": 40,
    },
}


def main(repeats: int = 3) -> None:
    start = time.perf_counter()
    kb = load_knowledge_base()
    print(f"knowledge base {kb.version} loaded in {time.perf_counter() - start:.2f} s")
    for name, kwargs in CASES.items():
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            plan = plan_meals(kb=kb, **kwargs)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t0)
        fibre = [d.fiber_g for d in plan.days]
        print(
            f"{name:48s} median {statistics.median(times):.2f} s (max {max(times):.2f} s); "
            f"fibre/day min {min(fibre):.1f} / median {statistics.median(fibre):.1f} / "
            f"max {max(fibre):.1f} g (target {plan.fiber_target_g:g}), "
            f"plants/week {len(plan.plant_foods)}"
        )


if __name__ == "__main__":
    main()
