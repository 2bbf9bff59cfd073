"""Seven-day meal plans: restrictions obeyed everywhere, fibre every day, plant variety."""

from __future__ import annotations

import re

import pytest

from gutlens.knowledge import load_knowledge_base
from gutlens.knowledge.exclusions import food_tags
from gutlens.knowledge.mealplan import MealPlan, MealPlanError, plan_meals

ANIMAL_GROUPS = {
    "Beef Products",
    "Pork Products",
    "Poultry Products",
    "Finfish and Shellfish Products",
    "Lamb, Veal, and Game Products",
    "Sausages and Luncheon Meats",
    "Dairy and Egg Products",
}
GLUTEN_WORDS = re.compile(
    r"\b(wheat|barley|rye|spelt|kamut|bulgur|couscous|semolina|bread|pasta|oats)\b", re.I
)
TREE_NUTS = re.compile(
    r"\b(almonds?|cashews?|walnuts?|pecans?|pistachio|hazelnuts?|filberts|macadamia|brazilnuts|"
    r"pine nuts|chestnuts|coconut)\b",
    re.I,
)


@pytest.fixture(scope="module")
def vegan_plan() -> MealPlan:
    return plan_meals("vegan", ["gluten_free"], ["tree_nuts"])


def _items(plan: MealPlan):  # type: ignore[no-untyped-def]
    return [i for d in plan.days for m in d.meals for i in m.items]


def test_vegan_gluten_free_tree_nut_free(vegan_plan: MealPlan) -> None:
    kb = load_knowledge_base()
    items = _items(vegan_plan)
    assert len(vegan_plan.days) == 7
    assert len(items) == 7 * 12
    for item in items:
        food = kb.food(item.ndb_no)  # every item carries a real SR28 NDB number
        assert food.description == item.description
        assert food.food_group not in ANIMAL_GROUPS, item.description
        assert not GLUTEN_WORDS.search(item.description) or "gluten-free" in item.description
        assert not TREE_NUTS.search(item.description), item.description
        assert not re.search(r"\b(honey|gelatin|egg|milk|yogurt|cheese)\b", item.description, re.I)
        assert not food_tags(food.food_group, food.description) & set(vegan_plan.excluded)


def test_fibre_target_every_day_and_totals_add_up(vegan_plan: MealPlan) -> None:
    kb = load_knowledge_base()
    assert vegan_plan.fiber_target_g == 30.0
    for day in vegan_plan.days:
        assert day.fiber_g >= 30.0
        items = [i for m in day.meals for i in m.items]
        fibre = sum((kb.food(i.ndb_no).fiber_g or 0) * i.grams / 100 for i in items)
        energy = sum((kb.food(i.ndb_no).energy_kcal or 0) * i.grams / 100 for i in items)
        assert day.fiber_g == pytest.approx(fibre, abs=0.2)
        assert day.energy_kcal == pytest.approx(energy, abs=2)
        assert 1800 - 1 <= day.energy_kcal <= 2200 + 1
        assert day.protein_g > 0
        assert [m.name for m in day.meals] == ["breakfast", "lunch", "dinner", "snack"]
        assert len({i.ndb_no for i in items}) == len(items)  # no food twice in a day


def test_thirty_plants_a_week(vegan_plan: MealPlan) -> None:
    plants = {i.ndb_no for i in _items(vegan_plan) if i.plant}
    assert len(plants) >= 30
    assert len(vegan_plan.plant_foods) == len(plants)
    assert vegan_plan.citations == ("doi:10.1128/msystems.00031-18",)
    assert load_knowledge_base().citation("doi:10.1128/msystems.00031-18").pmid == "29795809"


def test_household_portions_come_from_food_portions(vegan_plan: MealPlan) -> None:
    kb = load_knowledge_base()
    for item in _items(vegan_plan)[:20]:
        measures = {p.measure for p in kb.portions[item.ndb_no]}
        assert any(item.measure.endswith(m) for m in measures), item.measure


def test_own_fibre_target_and_preferences() -> None:
    plan = plan_meals(
        "vegetarian", fiber_target_g=40, preferred=["lentils", "Fruits and Fruit Juices"]
    )
    assert all(d.fiber_g >= 40 for d in plan.days)
    assert plan.preferred_used == ("Fruits and Fruit Juices", "lentils")
    assert any("Lentils" in i.description for i in _items(plan))
    assert not any(
        load_knowledge_base().food(i.ndb_no).food_group
        in {"Beef Products", "Poultry Products", "Finfish and Shellfish Products"}
        for i in _items(plan)
    )


def test_low_fodmap_removes_the_cited_foods() -> None:
    plan = plan_meals("omnivore", ["low_fodmap"])
    kb = load_knowledge_base()
    for item in _items(plan):
        food = kb.food(item.ndb_no)
        assert not food_tags(food.food_group, food.description) & {"fodmap", "lactose"}
        text = item.description.lower()
        assert "gluten-free" in item.description.lower() or not re.search(
            r"\b(onions?|garlic|shallots?|wheat|bread|pasta|lentils)\b", text
        )
        legume = food.food_group == "Legumes and Legume Products"
        assert not legume or "peanut" in text or "tofu" in text
    assert all(d.fiber_g >= 30.0 for d in plan.days)
    assert len(plan.plant_foods) >= 30
    assert {"doi:10.5056/jnm15111", "doi:10.3390/nu9030292"} <= set(plan.citations)
    assert any("not in a verified list" in n for n in plan.notes)
    # the same plan without the restriction does use such foods
    free = plan_meals("omnivore")
    assert any(
        food_tags(f.food_group, f.description) & {"fodmap", "lactose"}
        for f in (kb.food(i.ndb_no) for i in _items(free))
    )


def test_vegan_low_fodmap_has_too_few_protein_foods() -> None:
    with pytest.raises(MealPlanError, match=r"protein \(1 allowed, 2 different needed per day\)"):
        plan_meals("vegan", ["low_fodmap"])


def test_impossible_target_is_refused() -> None:
    with pytest.raises(MealPlanError, match="no meal plan meets 150 g fibre/day"):
        plan_meals("vegan", fiber_target_g=150)


def test_daily_fibre_stays_near_the_target() -> None:
    # candidates are chosen by fibre density near target/energy; before that change an
    # omnivore week gave 48-90 g/day for a 30 g target (median 63.8 g)
    plan = plan_meals("omnivore")
    fibre = sorted(d.fiber_g for d in plan.days)
    assert fibre[0] >= 30.0
    assert fibre[3] <= 45.0, fibre
