"""Measured gut-barrier and inflammation biomarkers: units, cited ranges and limits.

Input (YAML, or JSON when the suffix is ``.json``), one entry per marker::

    lactulose_mannitol_ratio: {value: 0.03}          # unit optional: ratio
    zonulin: {value: 48, unit: ng/mL}
    lbp: {value: 12.5, unit: mg/L}                   # LPS-binding protein
    calprotectin: {value: 35, unit: ug/g}            # faecal
    secretory_iga: {value: 900, unit: ug/g}          # faecal sIgA

Also accepted: ``lps``, ``i_fabp``, ``d_lactate``, ``elastase``, ``hs_crp``, ``lactoferrin`` and
the aliases in :data:`ALIASES`. Units are converted with explicit factors (:data:`FACTORS`):
mass per stool mass (``ug/g = mg/kg``), mass per volume (``pg/mL = ng/L``, ``ng/mL = ug/L``,
``ug/mL = mg/L``, ``1 mg/dL = 10 mg/L``, ``1 g/L = 1000 mg/L``), molar (``umol/L``,
``mmol/L``, ``nmol/L``) and dimensionless ratios. A unit of another family than the marker's
canonical unit, a negative or non-finite value, or an unknown marker is refused.

Ranges and limits come from ``curated_interventions/biomarkers.tsv`` rows with a verified DOI.
Where no such row exists (faecal calprotectin, lactoferrin, sIgA: their sources in the curated
table are guidelines, local pathways and commercial pages without a verified DOI or PMID) the
value is shown without an interpretation word (``no_cited_range``).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from gutlens.knowledge._base import KnowledgeBase, load_knowledge_base
from gutlens.knowledge._errors import BiomarkerInputError
from gutlens.knowledge._inputs import read_mapping
from gutlens.knowledge.schema import Citation

__all__ = [
    "ALIASES",
    "FACTORS",
    "BiomarkerAssessment",
    "BiomarkerResult",
    "Measurement",
    "assess_biomarkers",
    "convert",
    "load_biomarkers",
]

#: unit -> (family, factor to the family's base unit)
FACTORS: dict[str, tuple[str, float]] = {
    # mass per stool mass; base ug/g
    "ug/g": ("mass/mass", 1.0),
    "mg/kg": ("mass/mass", 1.0),
    "ng/mg": ("mass/mass", 1.0),
    "mg/g": ("mass/mass", 1000.0),
    "ng/g": ("mass/mass", 0.001),
    # mass per volume; base ng/mL
    "pg/ml": ("mass/volume", 0.001),
    "ng/l": ("mass/volume", 0.001),
    "ng/ml": ("mass/volume", 1.0),
    "ug/l": ("mass/volume", 1.0),
    "ug/ml": ("mass/volume", 1000.0),
    "mg/l": ("mass/volume", 1000.0),
    "mg/dl": ("mass/volume", 10_000.0),
    "g/l": ("mass/volume", 1_000_000.0),
    # amount per volume; base umol/L
    "nmol/l": ("molar", 0.001),
    "umol/l": ("molar", 1.0),
    "mmol/l": ("molar", 1000.0),
    # dimensionless
    "ratio": ("ratio", 1.0),
}
#: accepted marker names -> knowledge-base marker key
ALIASES: dict[str, str] = {
    "lactulose_mannitol_ratio": "lactulose_mannitol_ratio",
    "lactulose_mannitol": "lactulose_mannitol_ratio",
    "lmr": "lactulose_mannitol_ratio",
    "zonulin": "zonulin",
    "serum_zonulin": "zonulin",
    "lbp": "lbp",
    "lps_binding_protein": "lbp",
    "lipopolysaccharide_binding_protein": "lbp",
    "calprotectin": "calprotectin",
    "faecal_calprotectin": "calprotectin",
    "fecal_calprotectin": "calprotectin",
    "secretory_iga": "secretory_iga",
    "siga": "secretory_iga",
    "faecal_siga": "secretory_iga",
    "lactoferrin": "lactoferrin",
    "lps": "lps",
    "endotoxin": "lps",
    "i_fabp": "i_fabp",
    "ifabp": "i_fabp",
    "d_lactate": "d_lactate",
    "elastase": "elastase",
    "faecal_elastase": "elastase",
    "hs_crp": "hs_crp",
    "crp": "hs_crp",
}
Interpretation = Literal["below", "within", "above", "no_cited_range"]


def _norm_unit(unit: str) -> str:
    text = unit.strip().replace("µ", "u").replace("μ", "u").replace("mcg", "ug").lower()
    return text.replace(" ", "").replace("dimensionless", "ratio")


def convert(value: float, unit: str, to: str) -> float:
    """Convert ``value`` from ``unit`` to ``to`` (same family), e.g. ``12 mg/L -> 12 ug/mL``.

    Raises
    ------
    ValueError
        If either unit is unknown or the families differ.
    """
    src, dst = _norm_unit(unit), _norm_unit(to)
    if src not in FACTORS:
        raise ValueError(f"unknown unit {unit!r}; known: {', '.join(sorted(FACTORS))}")
    if dst not in FACTORS:
        raise ValueError(f"unknown unit {to!r}")
    (fam_a, fa), (fam_b, fb) = FACTORS[src], FACTORS[dst]
    if fam_a != fam_b:
        raise ValueError(f"{unit} ({fam_a}) cannot be converted to {to} ({fam_b})")
    return value * fa / fb


class Measurement(BaseModel):
    """One measured value as given in the input file."""

    model_config = ConfigDict(frozen=True)

    marker: str
    value: float
    unit: str


class BiomarkerResult(BaseModel):
    """A measured marker in canonical units with its cited range, interpretation and limits."""

    model_config = ConfigDict(frozen=True)

    marker: str
    name: str
    value: float | None
    unit: str
    given: str
    low: float | None
    high: float | None
    interpretation: Interpretation
    range_note: str
    limitations: str
    citations: tuple[Citation, ...]


class BiomarkerAssessment(BaseModel):
    """All measured markers plus general notes on barrier ("leaky gut") testing."""

    model_config = ConfigDict(frozen=True)

    results: tuple[BiomarkerResult, ...]
    notes: tuple[BiomarkerResult, ...] = ()


def load_biomarkers(path: str | Path, kb: KnowledgeBase | None = None) -> list[Measurement]:
    """Read a biomarker file and check every entry (marker known, unit of the right family,
    value finite and not negative).

    Raises
    ------
    BiomarkerInputError
        Naming the file and the marker, e.g.
        ``bio.yaml, field 'zonulin.value': a concentration cannot be negative (found -3)``.
    """
    kb = kb or load_knowledge_base()
    data = read_mapping(path, BiomarkerInputError)
    out: list[Measurement] = []
    seen: set[str] = set()
    for name, entry in data.items():
        key = ALIASES.get(str(name).strip().lower())
        if key is None or key not in kb.biomarkers:
            raise BiomarkerInputError(
                f"unknown marker; expected one of {', '.join(sorted(set(ALIASES)))}",
                path=path,
                field=str(name),
            )
        if key in seen:
            raise BiomarkerInputError("marker given twice", path=path, field=str(name))
        seen.add(key)
        if isinstance(entry, int | float) and not isinstance(entry, bool):
            entry = {"value": entry}
        if not isinstance(entry, dict) or "value" not in entry:
            raise BiomarkerInputError(
                "expected {value: NUMBER, unit: UNIT}", path=path, field=str(name)
            )
        unknown = set(entry) - {"value", "unit"}
        if unknown:
            raise BiomarkerInputError(
                f"unexpected key(s) {', '.join(sorted(map(str, unknown)))}; expected value, unit",
                path=path,
                field=str(name),
            )
        value = entry["value"]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise BiomarkerInputError(
                f"expected a finite number, found {value!r}", path=path, field=f"{name}.value"
            )
        if value < 0:
            raise BiomarkerInputError(
                f"a measured amount cannot be negative (found {value})",
                path=path,
                field=f"{name}.value",
            )
        ref = kb.biomarkers[key]
        unit = entry.get("unit")
        if unit is None:
            if ref.unit != "ratio":
                raise BiomarkerInputError(
                    f"a unit is required (canonical unit: {ref.unit})",
                    path=path,
                    field=f"{name}.unit",
                )
            unit = "ratio"
        unit = str(unit)
        norm = _norm_unit(unit)
        if norm not in FACTORS:
            raise BiomarkerInputError(
                f"unknown unit {unit!r}; known units: {', '.join(sorted(FACTORS))}",
                path=path,
                field=f"{name}.unit",
            )
        if ref.unit != "as reported" and FACTORS[norm][0] != FACTORS[_norm_unit(ref.unit)][0]:
            raise BiomarkerInputError(
                f"wrong kind of unit {unit!r} for {ref.name} (expected a unit convertible to "
                f"{ref.unit})",
                path=path,
                field=f"{name}.unit",
            )
        if ref.unit == "as reported" and FACTORS[norm][0] not in ("mass/mass", "mass/volume"):
            raise BiomarkerInputError(
                f"wrong kind of unit {unit!r} for {ref.name} (expected a concentration)",
                path=path,
                field=f"{name}.unit",
            )
        out.append(Measurement(marker=key, value=float(value), unit=unit))
    if not out:
        raise BiomarkerInputError("no markers in the file", path=path)
    return out


def _interpret(value: float, low: float | None, high: float | None) -> Interpretation:
    if low is None and high is None:
        return "no_cited_range"
    if low is not None and value < low:
        return "below"
    if high is not None and value > high:
        return "above"
    return "within"


def assess_biomarkers(
    measurements: list[Measurement], kb: KnowledgeBase | None = None
) -> BiomarkerAssessment:
    """Convert to canonical units and compare with the cited range (where one exists).

    The interpretation word compares against the range as the source states it (for LPS,
    I-FABP and D-lactate: the IQR of 50 volunteers in one study); it is not a diagnosis.
    """
    kb = kb or load_knowledge_base()
    results = []
    for m in measurements:
        ref = kb.biomarkers[m.marker]
        if ref.unit == "as reported":
            value, unit = m.value, m.unit
        else:
            value, unit = convert(m.value, m.unit, ref.unit), ref.unit
        results.append(
            BiomarkerResult(
                marker=m.marker,
                name=ref.name,
                value=value,
                unit=unit,
                given=f"{m.value:g} {m.unit}",
                low=ref.low,
                high=ref.high,
                interpretation=_interpret(value, ref.low, ref.high),
                range_note=ref.range_note,
                limitations=ref.limitations,
                citations=tuple(kb.citation(k) for k in ref.citations),
            )
        )
    notes = []
    barrier = {"lactulose_mannitol_ratio", "zonulin", "lbp", "lps", "i_fabp", "d_lactate"}
    if barrier & {m.marker for m in measurements} and "intestinal_permeability" in kb.biomarkers:
        ref = kb.biomarkers["intestinal_permeability"]
        notes.append(
            BiomarkerResult(
                marker=ref.marker,
                name=ref.name,
                value=None,
                unit="n/a",
                given="",
                low=None,
                high=None,
                interpretation="no_cited_range",
                range_note=ref.range_note,
                limitations=ref.limitations,
                citations=tuple(kb.citation(k) for k in ref.citations),
            )
        )
    return BiomarkerAssessment(results=tuple(results), notes=tuple(notes))
