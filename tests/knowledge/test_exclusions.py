"""The exclusion map on real USDA SR28 foods."""

from __future__ import annotations

import pytest

from gutlens.knowledge import load_knowledge_base
from gutlens.knowledge.exclusions import excluded_tags, food_tags


def _tags(ndb_no: str) -> frozenset[str]:
    food = load_knowledge_base().food(ndb_no)
    return food_tags(food.food_group, food.description)


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("Hummus, commercial", {"sesame", "fodmap"}),
        (
            "Soymilk (all flavors), unsweetened, with added calcium, vitamins A and D",
            {"soy", "fodmap"},
        ),
        ("Peanut butter, smooth style, without salt", {"peanuts"}),
        ("Honey", {"honey"}),
        ("Eggplant, cooked, boiled, drained, without salt", set()),
        ("Nuts, almonds, dry roasted, without salt added", {"tree_nuts"}),
        ("Nuts, coconut meat, raw", {"tree_nuts"}),
        ("Fish, salmon, Atlantic, farmed, cooked, dry heat", {"fish"}),
        ("Mollusks, mussel, blue, cooked, moist heat", {"shellfish"}),
        ("Cereals, oats, regular and quick, not fortified, dry", {"gluten"}),
        ("Bread, whole-wheat, commercially prepared", {"gluten", "fodmap"}),
        ("Spelt, cooked", {"gluten", "fodmap"}),
        ("Barley, pearled, cooked", {"gluten"}),
        ("Rice, brown, long-grain, cooked", set()),
        ("Pasta, gluten-free, corn, cooked", set()),
        ("Buckwheat groats, roasted, cooked", set()),
        ("Egg, whole, cooked, hard-boiled", {"egg"}),
        ("Cheese, cheddar", {"milk", "lactose"}),
        ("Chicken, broilers or fryers, breast, meat only, cooked, roasted", {"meat"}),
        ("Squash, winter, butternut, cooked, baked, without salt", set()),
        ("Gelatin desserts, dry mix", {"gelatin"}),
        ("Tofu, raw, firm, prepared with calcium sulfate", {"soy"}),
        # low-FODMAP: onion, garlic, legumes/pulses, wheat (Iacovou 2015); peanuts, tofu kept
        ("Onions, cooked, boiled, drained, without salt", {"fodmap"}),
        ("Garlic, raw", {"fodmap"}),
        ("Lentils, mature seeds, cooked, boiled, without salt", {"fodmap"}),
        ("Peanuts, all types, dry-roasted, without salt", {"peanuts"}),
        ("Carrots, cooked, boiled, drained, without salt", set()),
    ],
)
def test_food_tags_on_sr28(description: str, expected: set[str]) -> None:
    kb = load_knowledge_base()
    matches = [f for f in kb.foods.values() if f.description == description]
    assert len(matches) == 1, description
    assert set(_tags(matches[0].ndb_no)) == expected


def test_every_animal_food_group_is_excluded_for_vegans() -> None:
    kb = load_knowledge_base()
    banned = excluded_tags("vegan")
    groups = {
        "Beef Products",
        "Pork Products",
        "Poultry Products",
        "Finfish and Shellfish Products",
        "Lamb, Veal, and Game Products",
        "Sausages and Luncheon Meats",
        "Dairy and Egg Products",
    }
    animal = [f for f in kb.foods.values() if f.food_group in groups]
    assert len(animal) > 2500
    assert all(food_tags(f.food_group, f.description) & banned for f in animal)


def test_excluded_tags() -> None:
    assert excluded_tags("vegan", ["gluten_free"], ["tree_nuts"]) == {
        "meat",
        "fish",
        "shellfish",
        "milk",
        "egg",
        "honey",
        "gelatin",
        "gluten",
        "tree_nuts",
    }
    assert excluded_tags("pescatarian") == {"meat", "gelatin"}
    assert excluded_tags("omnivore", ["lactose_free", "low_fodmap"], ["sesame"]) == {
        "lactose",
        "fodmap",
        "sesame",
    }


def test_every_curated_fodmap_food_is_excluded() -> None:
    """Each row of scripts/curated/fodmap_foods.tsv removes real USDA foods named after it."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "scripts/curated/fodmap_foods.tsv"
    rows = list(csv.DictReader(path.open(encoding="utf-8"), delimiter="\t"))
    kb = load_knowledge_base()
    probe = {"lactose-containing dairy": "Milk, ", "wheat": "Wheat"}
    banned = excluded_tags("omnivore", ["low_fodmap"])
    for row in rows:
        if row["food"] == "legumes":  # pulses: dry legume seeds
            foods = [
                f
                for f in kb.foods.values()
                if f.food_group == "Legumes and Legume Products" and "mature seeds" in f.description
            ]
        else:
            start = probe.get(row["food"], row["food"].capitalize())
            foods = [f for f in kb.foods.values() if f.description.startswith(start)]
        hit = [f for f in foods if food_tags(f.food_group, f.description) & banned]
        assert len(hit) >= 0.8 * len(foods) > 0, row["food"]
        # and the knowledge base holds the cited fact for it
        assert any(f.subject == row["food"] for f in kb.facts_about(row["food"], "food"))
