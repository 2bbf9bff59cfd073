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
        ("Hummus, commercial", {"sesame"}),
        ("Soymilk (all flavors), unsweetened, with added calcium, vitamins A and D", {"soy"}),
        ("Peanut butter, smooth style, without salt", {"peanuts"}),
        ("Honey", {"honey"}),
        ("Eggplant, cooked, boiled, drained, without salt", set()),
        ("Nuts, almonds, dry roasted, without salt added", {"tree_nuts"}),
        ("Nuts, coconut meat, raw", {"tree_nuts"}),
        ("Fish, salmon, Atlantic, farmed, cooked, dry heat", {"fish"}),
        ("Mollusks, mussel, blue, cooked, moist heat", {"shellfish"}),
        ("Cereals, oats, regular and quick, not fortified, dry", {"gluten"}),
        ("Bread, whole-wheat, commercially prepared", {"gluten"}),
        ("Spelt, cooked", {"gluten"}),
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
        "sesame",
    }
