"""A seven-day meal plan from USDA SR28 foods, solved as a mixed-integer programme.

The plan fills fixed templates (breakfast: cereal/bread + fruit + side; lunch and dinner:
protein + grain/starch + two vegetables; snack: fruit, nuts/seeds or yoghurt) from the curated
pool ``data/meal_pool.tsv`` (whole foods, one household portion each, from ``food_portions``),
after removing every food the diet, restrictions and allergies exclude
(:mod:`gutlens.knowledge.exclusions`).

Formulation (``scipy.optimize.milp``, HiGHS), one exact programme per day *d* given the days
before it: for slot *s* and candidate food *f*, binary :math:`x_{sf}` (chosen) and integer
portions :math:`n_{sf} \\in [x_{sf}, m_s x_{sf}]` (``MAX_PORTIONS``).

* one food per slot: :math:`\\sum_f x_{sf} = 1`; a food at most once a day
* a food used on ``max_uses`` earlier days (2, relaxed to 3 or 7 only if infeasible; more for
  a role with too few allowed foods to fill its slots otherwise, see ``_needed_uses``) is no
  longer a candidate
* fibre: :math:`\\sum_{s,f} n_{sf} \\cdot \\text{fibre}_f \\ge` target
  (default 30 g/day; the person's own target when given)
* energy within ``energy_kcal`` ± ``energy_tolerance`` (planning default 2000 kcal ± 10 %,
  not a recommendation)
* objective: preferred foods first, then foods not yet eaten this week, then fewer portions
* candidates (``KEEP`` per role, round-robin over USDA food groups): preferred foods first, then
  the foods whose fibre per kcal is nearest the density the day needs (target / energy). Taking
  the most fibre-dense foods instead gave 48-100 g fibre/day for a 30 g target; a penalty on
  fibre above the target in the objective made each plan take 1-3 s, so it is not used.
* afterwards the week must hold at least ``min_plants`` (default 30) different plant foods
  (McDonald et al. 2018, mSystems, doi:10.1128/mSystems.00031-18, associated eating > 30 plant
  types a week with higher gut microbiome diversity); otherwise the next ``max_uses`` is tried.

``low_fodmap`` removes the high-FODMAP foods of :mod:`gutlens.knowledge.exclusions` (tag
``fodmap`` plus ``lactose``); the plan notes what it does not cover and cites the sources.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_array

from gutlens.errors import GutlensError
from gutlens.knowledge._base import KnowledgeBase, load_knowledge_base
from gutlens.knowledge.exclusions import FODMAP_CITATIONS, excluded_tags, food_tags

__all__ = ["DayPlan", "Meal", "MealItem", "MealPlan", "MealPlanError", "plan_meals"]

SLOTS: tuple[tuple[str, str], ...] = (
    ("breakfast", "breakfast_base"),
    ("breakfast", "fruit"),
    ("breakfast", "side"),
    ("lunch", "protein"),
    ("lunch", "grain"),
    ("lunch", "vegetable"),
    ("lunch", "vegetable"),
    ("dinner", "protein"),
    ("dinner", "grain"),
    ("dinner", "vegetable"),
    ("dinner", "vegetable"),
    ("snack", "snack"),
)
#: most portions of one food in a slot, per role
MAX_PORTIONS = {
    "breakfast_base": 2,
    "fruit": 2,
    "side": 1,
    "protein": 1,
    "grain": 2,
    "vegetable": 2,
    "snack": 1,
}
#: candidates kept per role (best preferred/fibre first) to keep the programme small
KEEP = {
    "breakfast_base": 8,
    "fruit": 14,
    "side": 10,
    "protein": 14,
    "grain": 10,
    "vegetable": 20,
    "snack": 14,
}
PLANS_CITATION = "doi:10.1128/msystems.00031-18"
LOW_FODMAP_NOTE = (
    "low_fodmap: onion, garlic, shallots, legumes/pulses, wheat-based products (Iacovou 2015) "
    "and lactose-containing dairy (Catassi 2017) were left out. Other high-FODMAP foods, such "
    "as some fruits, vegetables and sweeteners, are not in a verified list and were not; "
    "peanuts and tofu were kept. A low-FODMAP diet is a short elimination phase best done "
    "with a dietitian."
)


class MealPlanError(GutlensError):
    """No plan satisfies the constraints (too few allowed foods, or targets out of reach)."""


class MealItem(BaseModel):
    """One food in a meal: USDA NDB number, household measure and nutrient totals."""

    model_config = ConfigDict(frozen=True)

    ndb_no: str
    description: str
    grams: float
    measure: str
    fiber_g: float
    energy_kcal: float
    protein_g: float
    plant: bool


class Meal(BaseModel):
    """Breakfast, lunch, dinner or snack."""

    model_config = ConfigDict(frozen=True)

    name: str
    items: tuple[MealItem, ...]


class DayPlan(BaseModel):
    """One day with its totals."""

    model_config = ConfigDict(frozen=True)

    day: int
    meals: tuple[Meal, ...]
    fiber_g: float
    energy_kcal: float
    protein_g: float


class MealPlan(BaseModel):
    """Seven days of meals, the targets used, and notes on what could not be applied."""

    model_config = ConfigDict(frozen=True)

    days: tuple[DayPlan, ...]
    fiber_target_g: float
    energy_kcal: float
    plant_foods: tuple[str, ...]
    excluded: tuple[str, ...]
    preferred_used: tuple[str, ...]
    notes: tuple[str, ...]
    citations: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class _Option:
    ndb_no: str
    role: str
    description: str
    food_group: str
    amount: float
    measure: str
    grams: float
    plant: bool
    fiber: float
    energy: float
    protein: float


@lru_cache(maxsize=1)
def _pool_rows() -> tuple[dict[str, str], ...]:
    text = files("gutlens.knowledge").joinpath("data/meal_pool.tsv").read_text("utf-8")
    return tuple(csv.DictReader(text.splitlines(), delimiter="\t"))


def _options(kb: KnowledgeBase) -> list[_Option]:
    out = []
    for row in _pool_rows():
        food = kb.food(row["ndb_no"])
        grams = float(row["grams"])
        per = grams / 100.0
        out.append(
            _Option(
                ndb_no=food.ndb_no,
                role=row["role"],
                description=food.description,
                food_group=food.food_group,
                amount=float(row["amount"]),
                measure=row["measure"],
                grams=grams,
                plant=row["plant"] == "1",
                fiber=(food.fiber_g or 0.0) * per,
                energy=(food.energy_kcal or 0.0) * per,
                protein=(food.protein_g or 0.0) * per,
            )
        )
    return out


def _preferred(option: _Option, preferred: Sequence[str]) -> str | None:
    """The first of ``preferred`` that names ``option`` (memoised: asked per day and column)."""
    return _preferred_match(option.ndb_no, option.food_group, option.description, tuple(preferred))


@lru_cache(maxsize=4096)
def _preferred_match(
    ndb_no: str, food_group: str, description: str, preferred: tuple[str, ...]
) -> str | None:
    text = description.casefold()
    for item in preferred:
        key = item.strip().casefold()
        if not key:
            continue
        if key == ndb_no or key == food_group.casefold():
            return item
        if all(word in text for word in key.replace("_", " ").split()):
            return item
    return None


def _candidates(
    options: list[_Option],
    banned: frozenset[str],
    preferred: Sequence[str],
    density: float = 0.0,
) -> dict[str, list[_Option]]:
    allowed = [o for o in options if not (food_tags(o.food_group, o.description) & banned)]
    by_role: dict[str, list[_Option]] = {}
    for role in KEEP:
        if role == "snack":
            pool = [o for o in allowed if o.role == "fruit"]
            pool += [
                o for o in allowed if o.role == "side" and (o.plant or "Yogurt" in o.description)
            ]
        else:
            pool = [o for o in allowed if o.role == role]
        pool.sort(key=lambda o: (_density_gap(o, density), o.ndb_no))
        # preferred foods fill at most half the candidates, so foods near the needed fibre
        # density stay available (preferred fibre-rich foods alone overshot the target)
        liked = _round_robin([o for o in pool if _preferred(o, preferred)], KEEP[role] // 2)
        rest = [o for o in pool if o not in liked]
        by_role[role] = liked + _round_robin(rest, KEEP[role] - len(liked))
    return by_role


def _density_gap(option: _Option, density: float) -> float:
    """How far a food's fibre per kcal is from the plan's needed density (0 = right on it).

    With ``density`` 0 the most fibre-dense foods come first (fibre per kcal, descending).
    """
    own = option.fiber / max(option.energy, 1.0)
    if density <= 0:
        return -own
    return abs(np.log((own + 1e-3) / (density + 1e-3)))


def _round_robin(pool: list[_Option], keep: int) -> list[_Option]:
    """Keep ``keep`` options, taking turns between food groups so every kind stays available."""
    groups: dict[str, list[_Option]] = {}
    for option in pool:
        groups.setdefault(option.food_group, []).append(option)
    out: list[_Option] = []
    queues = list(groups.values())
    while queues and len(out) < keep:
        for queue in list(queues):
            if len(out) < keep:
                out.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return out


def plan_meals(
    diet: str = "omnivore",
    restrictions: Iterable[str] = (),
    allergies: Iterable[str] = (),
    *,
    fiber_target_g: float | None = None,
    preferred: Sequence[str] = (),
    energy_kcal: float = 2000.0,
    energy_tolerance: float = 0.10,
    min_plants: int = 30,
    kb: KnowledgeBase | None = None,
) -> MealPlan:
    """Build a seven-day plan (see the module docstring for the formulation).

    Parameters
    ----------
    diet, restrictions, allergies
        As in the questionnaire (``vegan``, ``["gluten_free"]``, ``["tree_nuts"]``...).
    fiber_target_g
        Daily fibre floor; default 30 g/day.
    preferred
        Foods to favour: words of a USDA description (``"lentils"``), a USDA food group
        (``"Legumes and Legume Products"``) or an NDB number.

    Raises
    ------
    MealPlanError
        When no plan meets the constraints.
    """
    kb = kb or load_knowledge_base()
    restrictions, allergies = tuple(restrictions), tuple(allergies)
    banned = excluded_tags(diet, restrictions, allergies)
    target = 30.0 if fiber_target_g is None else float(fiber_target_g)
    by_role = _candidates(_options(kb), banned, preferred, target / energy_kcal)
    empty = [r for r, c in by_role.items() if not c]
    if empty:
        raise MealPlanError(f"no allowed foods for {', '.join(empty)} after the exclusions")
    per_day = Counter(role for _, role in SLOTS)
    short = [
        f"{role} ({len(by_role[role])} allowed, {n} different needed per day)"
        for role, n in per_day.items()
        if len(by_role[role]) < n
    ]
    if short:
        raise MealPlanError(f"too few allowed foods after the exclusions: {', '.join(short)}")
    solution = None
    for max_uses in (2, 3, 7):
        solution = _solve_week(by_role, target, energy_kcal, energy_tolerance, preferred, max_uses)
        if solution is not None and _plants(solution) >= min_plants:
            break
    if solution is None or _plants(solution) < min_plants:
        raise MealPlanError(
            f"no meal plan meets {target:g} g fibre/day, {energy_kcal:g} kcal ± "
            f"{energy_tolerance:.0%} and {min_plants} plant foods with the allowed foods"
        )
    notes = []
    citations = [PLANS_CITATION]
    if "low_fodmap" in restrictions:
        notes.append(LOW_FODMAP_NOTE)
        citations += FODMAP_CITATIONS
    return _assemble(solution, by_role, target, energy_kcal, banned, preferred, notes, citations)


_Choice = list[tuple[int, int, _Option, int]]  # (day, slot, option, portions)


def _plants(choice: _Choice) -> int:
    return len({o.ndb_no for _, _, o, _ in choice if o.plant})


def _solve_week(
    by_role: dict[str, list[_Option]],
    target: float,
    energy: float,
    tolerance: float,
    preferred: Sequence[str],
    max_uses: int,
) -> _Choice | None:
    """Solve the seven days in turn; each day is one exact MILP given the earlier days.

    Weekly limits are carried between days: a food used on ``max_uses`` days is no longer a
    candidate, and plant foods not yet eaten this week earn a bonus, which drives variety.
    """
    uses: dict[str, int] = {}
    choice: _Choice = []
    for day in range(7):
        picked = _solve_day(by_role, target, energy, tolerance, preferred, uses, max_uses)
        if picked is None:
            return None
        for s, option, n in picked:
            choice.append((day, s, option, n))
            uses[option.ndb_no] = uses.get(option.ndb_no, 0) + 1
    return choice


def _needed_uses(by_role: dict[str, list[_Option]], role: str) -> int:
    """Days each food of ``role`` must be usable so its slots can be filled all week (a role
    with few allowed foods, e.g. two protein foods for a vegetarian low-FODMAP plan)."""
    slots = sum(r == role for _, r in SLOTS)
    return -(-7 * slots // max(len(by_role[role]), 1))


def _solve_day(
    by_role: dict[str, list[_Option]],
    target: float,
    energy: float,
    tolerance: float,
    preferred: Sequence[str],
    uses: dict[str, int],
    max_uses: int,
) -> list[tuple[int, _Option, int]] | None:
    cols = [
        (s, o)
        for s, (_, role) in enumerate(SLOTS)
        for o in by_role[role]
        if uses.get(o.ndb_no, 0) < max(max_uses, _needed_uses(by_role, role))
    ]
    nx = len(cols)
    nvar = 2 * nx  # x (chosen), n (portions)
    rows: list[int] = []
    cidx: list[int] = []
    vals: list[float] = []
    lo: list[float] = []
    hi: list[float] = []

    def add(entries: list[tuple[int, float]], low: float, high: float) -> None:
        for c, v in entries:
            rows.append(len(lo))
            cidx.append(c)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    per_slot: dict[int, list[int]] = {}
    per_food: dict[str, list[int]] = {}
    for j, (s, o) in enumerate(cols):
        per_slot.setdefault(s, []).append(j)
        per_food.setdefault(o.ndb_no, []).append(j)
        add([(nx + j, 1.0), (j, -1.0)], 0.0, np.inf)  # n >= x
        add([(nx + j, 1.0), (j, -float(MAX_PORTIONS[SLOTS[s][1]]))], -np.inf, 0.0)  # n <= m x
    if len(per_slot) < len(SLOTS):
        return None
    for js in per_slot.values():
        add([(j, 1.0) for j in js], 1.0, 1.0)
    for js in per_food.values():
        if len(js) > 1:
            add([(j, 1.0) for j in js], 0.0, 1.0)
    add([(nx + j, o.fiber) for j, (_, o) in enumerate(cols)], target, np.inf)
    add(
        [(nx + j, o.energy) for j, (_, o) in enumerate(cols)],
        energy * (1 - tolerance),
        energy * (1 + tolerance),
    )
    cost = np.zeros(nvar)
    for j, (_, o) in enumerate(cols):
        bonus = 1.0 if _preferred(o, preferred) is not None else 0.0
        bonus += 0.5 if o.ndb_no not in uses else 0.0  # variety: foods new this week
        cost[j] = 0.1 - bonus
        cost[nx + j] = 0.1
    upper = np.concatenate([np.ones(nx), [float(MAX_PORTIONS[SLOTS[s][1]]) for s, _ in cols]])
    result = milp(
        cost,
        constraints=LinearConstraint(
            coo_array((vals, (rows, cidx)), shape=(len(lo), nvar)).tocsr(), lo, hi
        ),
        integrality=np.ones(nvar),
        bounds=Bounds(np.zeros(nvar), upper),
        options={"time_limit": 5.0, "mip_rel_gap": 0.05},
    )
    if result.x is None:
        return None
    x = np.round(result.x).astype(int)
    return [(s, o, int(x[nx + j])) for j, (s, o) in enumerate(cols) if x[j] == 1]


def _assemble(
    choice: _Choice,
    by_role: dict[str, list[_Option]],
    target: float,
    energy: float,
    banned: frozenset[str],
    preferred: Sequence[str],
    notes: list[str],
    citations: list[str],
) -> MealPlan:
    days = []
    for d in range(7):
        picked = sorted((s, o, n) for dd, s, o, n in choice if dd == d)
        meals = []
        for meal in ("breakfast", "lunch", "dinner", "snack"):
            items = tuple(
                MealItem(
                    ndb_no=o.ndb_no,
                    description=o.description,
                    grams=round(o.grams * n, 1),
                    measure=f"{o.amount * n:g} {o.measure}",
                    fiber_g=round(o.fiber * n, 2),
                    energy_kcal=round(o.energy * n, 1),
                    protein_g=round(o.protein * n, 2),
                    plant=o.plant,
                )
                for s, o, n in picked
                if SLOTS[s][0] == meal
            )
            meals.append(Meal(name=meal, items=items))
        every = [i for m in meals for i in m.items]
        days.append(
            DayPlan(
                day=d + 1,
                meals=tuple(meals),
                fiber_g=round(sum(i.fiber_g for i in every), 1),
                energy_kcal=round(sum(i.energy_kcal for i in every), 0),
                protein_g=round(sum(i.protein_g for i in every), 1),
            )
        )
    plant_names = sorted({o.description for _, _, o, _ in choice if o.plant})
    used = sorted({p for _, _, o, _ in choice if (p := _preferred(o, preferred)) is not None})
    return MealPlan(
        days=tuple(days),
        fiber_target_g=target,
        energy_kcal=energy,
        plant_foods=tuple(plant_names),
        excluded=tuple(sorted(banned)),
        preferred_used=tuple(used),
        notes=tuple(notes),
        citations=tuple(citations),
        source="usda_sr28",
    )
