"""Meal-plan food pool for ``scripts/build_knowledge.py``: which USDA SR28 foods, in which role.

Whole foods for breakfast/lunch/dinner/snack templates, each with one household portion from
``food_portions.tsv`` (the measure nearest a role's typical grams, halved when far above it).
Imported by the build script (run from the repository root).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

# ---- meal-plan food pool ---------------------------------------------------------------------
# Whole foods for breakfast/lunch/dinner/snack templates: (role, USDA food group, description
# regex). Common vegetables and fruits are whitelisted by their leading word.
_VEG = (
    "Broccoli|Carrots|Spinach|Kale|Cauliflower|Cabbage|Brussels sprouts|Peas, green|"
    "Beans, snap|Squash, summer|Squash, winter|Asparagus|Beets|Onions|Peppers, sweet|"
    "Tomatoes, red|Mushrooms|Eggplant|Okra|Artichokes|Leeks|Chard|Collards|Turnip greens|"
    "Parsnips|Corn, sweet|Lettuce|Cucumber|Celery|Radishes|Arugula|Fennel|Pumpkin, |"
    "Edamame|Kohlrabi|Rutabagas|Turnips|Sweet potato|Potatoes|Beet greens|Mustard greens|"
    "Snow peas|Peas, edible-podded|Endive|Watercress"
)
# vegetables also eaten raw (salads, crudites)
_RAW_VEG = (
    "Lettuce|Cucumber|Celery|Radishes|Arugula|Tomatoes, red|Peppers, sweet|Carrots|Fennel|"
    "Endive|Watercress|Spinach|Cabbage|Kale|Broccoli|Snow peas|Peas, edible-podded|Kohlrabi"
)
_FRUIT = (
    "Apples|Apricots|Avocados|Bananas|Blackberries|Blueberries|Cherries, sweet|Grapes|"
    "Grapefruit|Kiwifruit|Mangos|Melons|Nectarines|Oranges|Papayas|Peaches|Pears|"
    "Pineapple|Plums|Pomegranates|Raspberries|Strawberries|Tangerines|Watermelon|"
    "Figs|Guavas|Persimmons|Clementines|Cranberries"
)
POOL_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "breakfast_base",
        "Breakfast Cereals",
        r"^Cereals, oats, regular and quick, not fortified, dry$",
    ),
    (
        "breakfast_base",
        "Baked Products",
        r"^Bread, (whole-wheat, commercially prepared|rye|"
        r"multi-grain \(includes whole-grain\)|gluten-free, white, made with rice flour.*|"
        r"pumpernickel|oatmeal)$",
    ),
    (
        "breakfast_base",
        "Cereal Grains and Pasta",
        r"^(Buckwheat groats, roasted|Millet|Quinoa|"
        r"Amaranth grain|Teff), cooked$",
    ),
    ("fruit", "Fruits and Fruit Juices", rf"^({_FRUIT})(, [a-z ]+)?, raw$"),
    (
        "side",
        "Nut and Seed Products",
        r"^(Nuts, (almonds|cashew nuts|hazelnuts or filberts|"
        r"macadamia nuts|pecans|pistachio nuts), dry roasted, without salt added|Nuts, walnuts, "
        r"english|Nuts, brazilnuts, dried, unblanched|Seeds, (chia seeds|pumpkin and squash seed "
        r"kernels|sunflower seed kernels|sesame seeds, whole|flaxseed|hemp seed, hulled), dried|"
        r"Seeds, flaxseed|Seeds, hemp seed, hulled|Seeds, sunflower seed kernels, dry roasted, "
        r"without salt|Seeds, sesame butter, tahini, type of kernels unspecified)$",
    ),
    (
        "side",
        "Legumes and Legume Products",
        r"^(Peanuts, all types, dry-roasted, without salt|"
        r"Peanut butter, smooth style, without salt|Soymilk \(all flavors\), unsweetened, with "
        r"added calcium, vitamins A and D)$",
    ),
    (
        "side",
        "Dairy and Egg Products",
        r"^(Yogurt, plain, (whole|low fat) milk|Yogurt, Greek, "
        r"plain, (nonfat|lowfat)|Milk, reduced fat, fluid, 2% milkfat, with added vitamin A and "
        r"vitamin D|Cheese, cottage, lowfat, 2% milkfat|Egg, whole, cooked, hard-boiled|"
        r"Kefir, lowfat, plain, LIFEWAY)$",
    ),
    (
        "protein",
        "Legumes and Legume Products",
        r"^(.*, mature seeds, cooked, boiled, without salt|"
        r"Tofu, raw, firm, prepared with calcium sulfate|Tempeh|Hummus, commercial)$",
    ),
    ("protein", "Dairy and Egg Products", r"^Egg, whole, cooked, hard-boiled$"),
    (
        "protein",
        "Finfish and Shellfish Products",
        r"^Fish, (salmon, (Atlantic, farmed|pink)|"
        r"trout, rainbow, farmed|cod, Atlantic|tuna, fresh, yellowfin|mackerel, Atlantic|"
        r"haddock|halibut, Atlantic and Pacific|tilapia|sardine, Atlantic, canned in oil, drained "
        r"solids with bone)(, cooked, dry heat)?$|"
        r"^Crustaceans, shrimp, mixed species, cooked, moist heat.*$|"
        r"^Mollusks, mussel, blue, cooked, moist heat$",
    ),
    (
        "protein",
        "Poultry Products",
        r"^(Chicken, broilers or fryers, breast, meat only, cooked, "
        r"roasted|Turkey, (whole|all classes), breast, meat only, cooked, roasted)$",
    ),
    (
        "grain",
        "Cereal Grains and Pasta",
        r"^(Rice, brown, (long|medium)-grain, cooked|Quinoa, "
        r"cooked|Barley, pearled, cooked|Bulgur, cooked|Millet, cooked|Buckwheat groats, roasted, "
        r"cooked|Wild rice, cooked|Pasta, whole-wheat, cooked|Couscous, cooked|Spelt, cooked|"
        r"Teff, cooked|Wheat, KAMUT khorasan, cooked|Pasta, gluten-free, corn, cooked|Rice "
        r"noodles, cooked|Noodles, japanese, soba, cooked|Amaranth grain, cooked)$",
    ),
    (
        "grain",
        "Vegetables and Vegetable Products",
        r"^(Potatoes, boiled, cooked in skin, flesh "
        r"and skin, without salt|Sweet potato, cooked, baked in skin, flesh, without salt)$",
    ),
    (
        "vegetable",
        "Vegetables and Vegetable Products",
        rf"^({_VEG})[^;]*, cooked, boiled, drained, without salt$",
    ),
    ("vegetable", "Vegetables and Vegetable Products", rf"^({_RAW_VEG})[^;]*, raw$"),
)
ROLE_GRAMS = {
    "breakfast_base": 60.0,
    "fruit": 130.0,
    "side": 30.0,
    "protein": 140.0,
    "grain": 160.0,
    "vegetable": 90.0,
}
SIDE_GRAMS = {"Dairy and Egg Products": 170.0, "Legumes and Legume Products": 30.0}
PLANT_GROUPS = {
    "Vegetables and Vegetable Products",
    "Fruits and Fruit Juices",
    "Legumes and Legume Products",
    "Nut and Seed Products",
    "Cereal Grains and Pasta",
    "Breakfast Cereals",
    "Baked Products",
    "Spices and Herbs",
}


def meal_pool(foods: list[dict[str, Any]], portions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Select the meal-plan pool and one household portion per food and role."""
    by_food: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in portions:
        by_food[p["ndb_no"]].append(p)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for food in foods:
        if food["fiber_g"] is None or food["energy_kcal"] is None or food["protein_g"] is None:
            continue
        for role, group, pattern in POOL_RULES:
            if food["food_group"] != group or not re.match(pattern, food["description"]):
                continue
            target = SIDE_GRAMS.get(group, 30.0) if role == "side" else ROLE_GRAMS[role]
            choice = _portion(by_food.get(food["ndb_no"], []), target)
            if choice is None:
                continue
            amount, measure, grams = choice
            rows[(food["ndb_no"], role)] = {
                "ndb_no": food["ndb_no"],
                "role": role,
                "plant": int(group in PLANT_GROUPS and "Egg" not in food["description"]),
                "amount": amount,
                "measure": measure,
                "grams": grams,
                "description": food["description"],
            }
    # one vegetable per leading name and preparation keeps the pool varied and modest
    seen: set[tuple[str, str, str]] = set()
    out = []
    for row in sorted(rows.values(), key=lambda r: (r["role"], r["description"])):
        head = row["description"].split(",")[0]
        prep = "raw" if row["description"].endswith("raw") else "cooked"
        key = (row["role"], head, prep)
        if row["role"] in ("vegetable", "fruit") and key in seen:
            continue
        seen.add(key)
        out.append(row)
    return out


def _portion(options: list[dict[str, Any]], target: float) -> tuple[float, str, float] | None:
    """The household measure nearest ``target`` grams (halved when over 1.6x the target)."""
    best = None
    for p in options:
        amount, grams, measure = p["amount"], p["grams"], p["measure"]
        if grams <= 0 or amount <= 0:
            continue
        if grams > 1.6 * target:
            amount, grams = amount / 2, grams / 2
        if grams > 1.6 * target or grams < 0.3 * target:
            continue
        score = abs(grams - target)
        if best is None or score < best[0]:
            best = (score, (round(amount, 3), measure, round(grams, 2)))
    return best[1] if best else None
