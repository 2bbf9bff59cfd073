"""Which USDA SR28 foods a diet, restriction or allergy excludes: an explicit keyword map.

A food gets a tag when its USDA food group is listed for the tag, or when its description
contains one of the tag's words (whole-word, case-insensitive) and none of the tag's exception
phrases. The map is deliberately conservative (when in doubt, exclude):

* ``gluten``: wheat, barley, rye, spelt, triticale, kamut/khorasan, bulgur, couscous, semolina,
  farro, durum, seitan, malt, bread/pasta/noodles/crackers/flour... unless described as
  gluten-free, rice, corn or buckwheat based. Oats are excluded too (cross-contact with wheat
  is common and SR28 does not say whether oats are certified gluten-free).
* ``tree_nuts``: almond, brazil nut, cashew, chestnut, hazelnut/filbert, macadamia, pecan,
  pine nut, pistachio, walnut, butternut, hickory, beechnut, pili nut, coconut (coconut is
  listed because US labelling lists it as a tree nut; conservative).
* ``peanuts``, ``soy`` (soy, soybean, tofu, tempeh, edamame, miso, natto), ``sesame`` (sesame,
  tahini, hummus, halva), ``egg``, ``fish``, ``shellfish`` (crustaceans and molluscs), ``milk``
  (all dairy except eggs; plant "milks" are not milk), ``lactose`` (milk unless lactose-free).
* ``meat`` (beef, pork, lamb, veal, game, poultry, sausages), ``gelatin``, ``honey``.

* ``fodmap``: the major high-FODMAP sources named by Iacovou et al. 2015 (J Neurogastroenterol
  Motil, doi:10.5056/jnm15111): onion, garlic, shallots (fructans), legumes/pulses
  (galacto-oligosaccharides: the USDA legume group, soybeans and soymilk included, plus lentil,
  chickpea, hummus and falafel dishes elsewhere) and wheat-based products (fructans; Catassi
  et al. 2017, Nutrients, doi:10.3390/nu9030292: the diet removes wheat derivatives).
  Lactose-containing dairy uses the ``lactose`` tag. Peanuts and tofu are kept: they are legume
  products but not pulses, no verified source classes them, and excluding them would leave
  vegetarian plans without a protein food (a gutlens judgement, not a cited fact). Other
  high-FODMAP foods (some fruits and vegetables, polyol sweeteners) are not in a verified list
  and are not excluded. Rows, classes and the URLs where the citations were seen:
  ``scripts/curated/fodmap_foods.tsv``.

Diets: vegan excludes meat, fish, shellfish, milk, egg, honey, gelatin; vegetarian excludes
meat, fish, shellfish, gelatin; pescatarian excludes meat, gelatin. Restrictions:
gluten_free -> gluten, lactose_free -> lactose, low_fodmap -> fodmap + lactose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "DIET_EXCLUDES",
    "FODMAP_CITATIONS",
    "RESTRICTION_EXCLUDES",
    "RULES",
    "Rule",
    "excluded_tags",
    "food_tags",
]


@dataclass(frozen=True)
class Rule:
    """Food groups and description words that give a food one exclusion tag."""

    groups: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


_MEAT_GROUPS = (
    "Beef Products",
    "Pork Products",
    "Lamb, Veal, and Game Products",
    "Poultry Products",
    "Sausages and Luncheon Meats",
)
_PLANT_MILK = (
    "soymilk",
    "soy milk",
    "almond milk",
    "rice milk",
    "oat milk",
    "coconut milk",
    "peanut butter",
    "nut butter",
    "almond butter",
    "cashew butter",
    "sesame butter",
    "cocoa butter",
    "apple butter",
    "butterbur",
    "butternut",
    "butterhead",
    "butter beans",
    "buttermilk substitute",
    "milkfish",
    "coconut cream",
    "cream of tartar",
    "ice cream bean",
)

#: Wheat and the products made from it: gluten for ``gluten_free``, fructans for ``low_fodmap``.
_WHEAT_PRODUCTS = (
    "wheat",
    "spelt",
    "kamut",
    "khorasan",
    "bulgur",
    "couscous",
    "semolina",
    "farro",
    "durum",
    "seitan",
    "bread",
    "breads",
    "pasta",
    "spaghetti",
    "macaroni",
    "noodles",
    "crackers",
    "cracker",
    "flour",
    "biscuit",
    "biscuits",
    "cookies",
    "cake",
    "croissant",
    "bagel",
    "muffin",
    "pizza",
    "pretzel",
    "pretzels",
    "tortilla",
    "breadcrumbs",
    "wheaties",
)

RULES: dict[str, Rule] = {
    "meat": Rule(
        groups=_MEAT_GROUPS,
        words=(
            "beef",
            "pork",
            "lamb",
            "veal",
            "chicken",
            "turkey",
            "duck",
            "goose",
            "ham",
            "bacon",
            "sausage",
            "salami",
            "pepperoni",
            "venison",
            "bison",
            "meat",
            "lard",
            "gravy",
            "broth",
            "bouillon",
            "anchovy",
        ),
        unless=(
            "meatless",
            "imitation",
            "vegetarian",
            "coconut meat",
            "kernel meat",
            "nutmeat",
            "chicken pea",
        ),
    ),
    "fish": Rule(
        groups=("Finfish and Shellfish Products",),
        words=(
            "fish",
            "salmon",
            "tuna",
            "cod",
            "sardine",
            "anchovy",
            "mackerel",
            "trout",
            "herring",
            "halibut",
            "tilapia",
            "haddock",
            "pollock",
            "caviar",
            "roe",
        ),
        unless=(
            "crustaceans",
            "mollusks",
            "shrimp",
            "crab",
            "lobster",
            "crayfish",
            "clam",
            "mussel",
            "oyster",
            "scallop",
            "squid",
            "octopus",
            "abalone",
            "whelk",
            "conch",
            "cuttlefish",
        ),
    ),
    "shellfish": Rule(
        words=(
            "crustaceans",
            "mollusks",
            "shrimp",
            "prawn",
            "crab",
            "lobster",
            "crayfish",
            "clam",
            "clams",
            "mussel",
            "oyster",
            "scallop",
            "squid",
            "octopus",
            "abalone",
            "whelk",
            "conch",
            "cuttlefish",
        ),
    ),
    "milk": Rule(
        groups=("Dairy and Egg Products",),
        words=(
            "milk",
            "cheese",
            "yogurt",
            "butter",
            "cream",
            "whey",
            "casein",
            "caseinate",
            "lactose",
            "ghee",
            "kefir",
            "custard",
            "pudding",
            "ice cream",
            "buttermilk",
        ),
        unless=(
            *_PLANT_MILK,
            "egg, ",
            "egg substitute",
            "eggnog-flavor",
            "egg white",
            "egg yolk",
            "egg, whole",
        ),
    ),
    "egg": Rule(
        words=("egg", "eggs", "mayonnaise", "meringue", "eggnog"),
        unless=("eggplant", "egg-free", "eggless", "egg substitute, powder, plant"),
    ),
    "honey": Rule(words=("honey",), unless=("honeydew", "honeysuckle")),
    "gelatin": Rule(words=("gelatin", "gelatins", "marshmallow", "marshmallows")),
    "gluten": Rule(
        words=(
            *_WHEAT_PRODUCTS,
            "barley",
            "rye",
            "triticale",
            "malt",
            "malted",
            "oats",
            "oat",
            "oatmeal",
            "granola",
            "bran",
            "soy sauce",
            "udon",
            "soba",
        ),
        unless=(
            "gluten-free",
            "gluten free",
            "rice flour",
            "corn flour",
            "buckwheat flour",
            "rice noodles",
            "corn tortilla",
            "tortillas, ready-to-bake or -fry, corn",
            "rice bran",
            "corn bran",
            "buckwheat",
        ),
    ),
    "tree_nuts": Rule(
        words=(
            "almond",
            "almonds",
            "brazilnuts",
            "brazil",
            "cashew",
            "cashews",
            "chestnut",
            "chestnuts",
            "hazelnut",
            "hazelnuts",
            "filberts",
            "macadamia",
            "pecan",
            "pecans",
            "pine nuts",
            "pinyon",
            "pistachio",
            "pistachios",
            "walnut",
            "walnuts",
            "butternuts",
            "hickorynuts",
            "beechnuts",
            "pilinuts",
            "coconut",
            "praline",
            "marzipan",
            "nutella",
            "mixed nuts",
        ),
        unless=("water chestnut", "chinese water chestnut", "nutmeg"),
    ),
    "peanuts": Rule(words=("peanut", "peanuts", "groundnut")),
    "soy": Rule(
        words=(
            "soy",
            "soya",
            "soybean",
            "soybeans",
            "soymilk",
            "tofu",
            "tempeh",
            "edamame",
            "miso",
            "natto",
            "okara",
            "yuba",
        ),
    ),
    "sesame": Rule(words=("sesame", "tahini", "hummus", "halvah", "halva", "benne")),
    "fodmap": Rule(
        groups=("Legumes and Legume Products",),
        words=(
            # onion, garlic, shallots (fructans)
            "onion",
            "onions",
            "garlic",
            "shallot",
            "shallots",
            # legumes/pulses outside the USDA legume group (galacto-oligosaccharides)
            "lentil",
            "lentils",
            "chickpea",
            "chickpeas",
            "garbanzo",
            "hummus",
            "falafel",
            # wheat-based products (fructans)
            *_WHEAT_PRODUCTS,
            "udon",
        ),
        unless=(
            "gluten-free",
            "gluten free",
            "rice flour",
            "corn flour",
            "buckwheat flour",
            "rice noodles",
            "corn tortilla",
            "tortillas, ready-to-bake or -fry, corn",
            "buckwheat",
            # legume products kept (judgement, not a cited fact): see the module docstring
            "peanut",
            "peanuts",
            "tofu",
        ),
    ),
    "lactose": Rule(
        groups=("Dairy and Egg Products",),
        words=(
            "milk",
            "cheese",
            "yogurt",
            "butter",
            "cream",
            "whey",
            "lactose",
            "kefir",
            "custard",
            "pudding",
            "ice cream",
            "buttermilk",
        ),
        unless=(
            *_PLANT_MILK,
            "lactose free",
            "lactose-free",
            "lactose reduced",
            "egg, ",
            "egg substitute",
            "egg white",
            "egg yolk",
            "egg, whole",
        ),
    ),
}

DIET_EXCLUDES: dict[str, tuple[str, ...]] = {
    "omnivore": (),
    "pescatarian": ("meat", "gelatin"),
    "vegetarian": ("meat", "fish", "shellfish", "gelatin"),
    "vegan": ("meat", "fish", "shellfish", "milk", "egg", "honey", "gelatin"),
}
RESTRICTION_EXCLUDES: dict[str, tuple[str, ...]] = {
    "gluten_free": ("gluten",),
    "lactose_free": ("lactose",),
    "low_fodmap": ("fodmap", "lactose"),
}
#: citation keys for the foods the ``fodmap`` tag excludes (Iacovou 2015; Catassi 2017)
FODMAP_CITATIONS = ("doi:10.5056/jnm15111", "doi:10.3390/nu9030292")
ALLERGY_EXCLUDES: dict[str, tuple[str, ...]] = {
    "tree_nuts": ("tree_nuts",),
    "peanuts": ("peanuts",),
    "soy": ("soy",),
    "egg": ("egg",),
    "fish": ("fish",),
    "shellfish": ("shellfish",),
    "milk": ("milk",),
    "sesame": ("sesame",),
}


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=16384)
def food_tags(food_group: str, description: str) -> frozenset[str]:
    """Exclusion tags of one food from its USDA food group and description.

    Examples
    --------
    >>> sorted(food_tags("Legumes and Legume Products", "Hummus, commercial"))
    ['sesame']
    >>> sorted(food_tags("Baked Products", "Bread, whole-wheat, commercially prepared"))
    ['gluten']
    """
    text = description.casefold()
    tags = set()
    for tag, rule in RULES.items():
        if any(u.casefold() in text for u in rule.unless):
            continue
        if food_group in rule.groups or (rule.words and _pattern(rule.words).search(text)):
            tags.add(tag)
    return frozenset(tags)


def excluded_tags(
    diet: str = "omnivore", restrictions: Iterable[str] = (), allergies: Iterable[str] = ()
) -> frozenset[str]:
    """All tags excluded by a diet, restrictions and allergies (see the module docstring)."""
    tags = set(DIET_EXCLUDES[diet])
    for item in restrictions:
        tags.update(RESTRICTION_EXCLUDES[item])
    for item in allergies:
        tags.update(ALLERGY_EXCLUDES[item])
    return frozenset(tags)
