"""Pydantic schema of the knowledge base: citations, data sources, facts, foods, biomarkers.

The base is data (``gutlens/knowledge/data/``), built by ``scripts/build_knowledge.py`` from the
curated, citation-checked tables in ``shared/data/knowledge``. Every :class:`Fact` names the
:class:`Citation` keys it rests on; every citation carries a DOI or a PMID (enforced here). Data
tables that are not literature (USDA food composition) are attributed to a :class:`DataSource`.

Vocabularies
------------
subject_type
    ``taxon | guild | index | biomarker | symptom | food | nutrient | intervention | testing``
    (``testing`` holds reporting rules for microbiome tests, e.g. the 2024 consensus).
area
    ``digestive | immune | gut_brain | metabolism | skin | nutrition``.
evidence_grade
    study-design labels, not certainty ratings: ``meta-analysis | rct | non-randomised-trial |
    human-observational | animal | in-vitro | genomic | review | consensus``
    (``non-randomised-trial`` = human intervention study whose randomisation was not stated;
    ``genomic`` = gene content of sequenced genomes, capacity only).
direction
    ``increase | decrease | improves | no_effect | inconsistent`` (interventions);
    ``higher_in_condition | lower_in_condition`` (case-control signatures);
    ``health_associated | disease_associated`` (health-index species sets);
    ``member`` (guild membership), ``trait`` (phenotype), ``n/a`` (definitions, rules).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "AREAS",
    "EVIDENCE_GRADES",
    "SUBJECT_TYPES",
    "Area",
    "BiomarkerReference",
    "Citation",
    "DataSource",
    "Direction",
    "EvidenceGrade",
    "Fact",
    "Food",
    "FoodPortion",
    "GuildMember",
    "Manifest",
    "SubjectType",
]

SubjectType = Literal[
    "taxon",
    "guild",
    "index",
    "biomarker",
    "symptom",
    "food",
    "nutrient",
    "intervention",
    "testing",
]
Area = Literal["digestive", "immune", "gut_brain", "metabolism", "skin", "nutrition"]
EvidenceGrade = Literal[
    "meta-analysis",
    "rct",
    "non-randomised-trial",
    "human-observational",
    "animal",
    "in-vitro",
    "genomic",
    "review",
    "consensus",
]
Direction = Literal[
    "increase",
    "decrease",
    "improves",
    "no_effect",
    "inconsistent",
    "higher_in_condition",
    "lower_in_condition",
    "health_associated",
    "disease_associated",
    "member",
    "trait",
    "n/a",
]

SUBJECT_TYPES: tuple[str, ...] = SubjectType.__args__  # type: ignore[attr-defined]
AREAS: tuple[str, ...] = Area.__args__  # type: ignore[attr-defined]
EVIDENCE_GRADES: tuple[str, ...] = EvidenceGrade.__args__  # type: ignore[attr-defined]

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^\d{1,9}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Citation(_Frozen):
    """One published work, identified by DOI and/or PMID (at least one is required).

    ``key`` is ``doi:<doi>`` when a DOI is known, else ``pmid:<pmid>``. Bibliographic fields are
    filled only where the curated source recorded them (many BugSigDB studies carry a PMID only).
    """

    key: str
    doi: str | None = None
    pmid: str | None = None
    first_author: str | None = None
    authors: str | None = None
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    short: str | None = Field(None, description="citation as the curated table wrote it")
    url: str | None = Field(None, description="where the DOI/title were seen")

    @model_validator(mode="after")
    def _identifier(self) -> Citation:
        if not self.doi and not self.pmid:
            raise ValueError(f"citation {self.key!r} has neither a DOI nor a PMID")
        if self.doi is not None and not _DOI.match(self.doi):
            raise ValueError(f"citation {self.key!r}: malformed DOI {self.doi!r}")
        if self.pmid is not None and not _PMID.match(self.pmid):
            raise ValueError(f"citation {self.key!r}: malformed PMID {self.pmid!r}")
        return self

    def label(self) -> str:
        """Short human label: ``First author year`` (the title when neither is known) plus
        identifiers."""
        head = (
            self.short
            or " ".join(str(x) for x in (self.first_author, self.year) if x)
            or (self.title or "")
        )
        ids = ", ".join(
            x
            for x in (
                f"doi:{self.doi}" if self.doi else "",
                f"PMID {self.pmid}" if self.pmid else "",
            )
            if x
        )
        return f"{head} ({ids})" if head else ids


class DataSource(_Frozen):
    """A data set the base copies values from (food composition tables)."""

    key: str
    title: str
    publisher: str
    year: int
    url: str | None = None
    doi: str | None = None
    licence: str


class Fact(_Frozen):
    """One statement linking a subject to an area or effect, with direction, grade and citations.

    ``targets`` lists canonical taxon or guild names an intervention acts on (parsed from the
    curated ``target`` text), so that a low guild or taxon can be matched to interventions.
    """

    id: str
    subject_type: SubjectType
    subject: str
    rank: str | None = None
    areas: tuple[Area, ...] = ()
    effect: str
    direction: Direction
    strength: str | None = None
    evidence_grade: EvidenceGrade
    summary: str
    citations: tuple[str, ...] = Field(min_length=1)
    targets: tuple[str, ...] = ()
    kind: str | None = Field(
        None, description="intervention kind: food, fibre, probiotic_strain, ..."
    )
    strain: str | None = None
    population: str | None = None
    source: str = Field(description="which shared data folder the fact was built from")


class GuildMember(_Frozen):
    """A taxon's membership of a functional guild, with the supporting citation."""

    guild: str
    taxon: str
    rank: str
    former_names: tuple[str, ...] = ()
    role: str
    evidence_grade: EvidenceGrade
    citation: str


class Food(_Frozen):
    """One USDA SR28 food with the nutrients the meal plan uses (per 100 g edible portion)."""

    ndb_no: str
    food_group: str
    description: str
    energy_kcal: float | None
    protein_g: float | None
    fat_g: float | None
    carbohydrate_g: float | None
    fiber_g: float | None
    sugars_g: float | None
    flavonoids_mg: float | None = None


class FoodPortion(_Frozen):
    """A household measure of a food (USDA SR28 WEIGHT table)."""

    ndb_no: str
    amount: float
    measure: str
    grams: float


class BiomarkerReference(_Frozen):
    """Canonical unit, cited range (where one exists) and documented limits of one biomarker."""

    marker: str
    name: str
    specimen: str
    unit: str
    low: float | None = None
    high: float | None = None
    range_note: str
    what_it_measures: str
    limitations: str
    citations: tuple[str, ...] = ()


class Manifest(_Frozen):
    """Version, checksum and counts of one built knowledge base."""

    version: str
    checksum: str
    built_by: str
    counts: dict[str, int]
