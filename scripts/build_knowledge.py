"""Build the versioned gutlens knowledge base (``src/gutlens/knowledge/data``).

Sources (all under ``shared/data/knowledge``; each folder's README lists caveats):

* ``curated_guilds``        guild membership + its citations (DOI checked against title)
* ``curated_interventions`` interventions, biomarkers, testing consensus (rows without a DOI
  or PMID, and rows marked ``not_captured``, are skipped and listed in PROVENANCE.json)
* ``bugsigdb_prerelease_2020`` human-stool signatures: taxon higher/lower in a condition (PMIDs)
* ``microbiomehd_duvallet2017`` disease-specific and shared genera (Duvallet 2017 DOI)
* ``gmhi`` (Gupta 2020) and ``asnicar2021_health_species`` (Asnicar 2021) species sets
* ``madin2020_traits`` phenotypes of the species the base mentions (Madin 2020 DOI)
* ``fermentation_products_arnoldini`` measured fermentation products (Zenodo DOI)
* ``usda_sr28`` + ``usda_flavonoid_r3_3`` food composition tables (data sources)
* ``scripts/curated`` (in this repository): alarm-feature sources, calprotectin cut-off and
  limits, and the high-FODMAP foods the low-FODMAP restriction removes, each row with the URL
  where its DOI/PMID was seen together with the title (``scripts/curated/README.md``)

Areas come from the hand-written keyword map ``data/area_keywords.tsv`` (kept as data). Every
citation's DOI/PMID is copied from the source tables or their READMEs; none is added here.
Run from the repository root::

    python scripts/build_knowledge.py [--shared ../shared] [--version 2026.11.0]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pandas as pd
from knowledge_meal_pool import meal_pool

from gutlens.knowledge.schema import BiomarkerReference, Citation, Fact, GuildMember
from gutlens.taxonomy import canonical_name

OUT = Path("src/gutlens/knowledge/data")
#: gutlens' own hand-curated tables (citations verified with the search tool; see its README)
CURATED = Path("scripts/curated")
VERSION = "2026.11.2"
SRC = "data/knowledge"

# Dataset papers named in the folders' READMEs (DOIs copied from those READMEs).
PAPERS = {
    "bugsigdb": {
        "doi": "10.1038/s41587-023-01872-y",
        "first_author": "Geistlinger",
        "year": 2023,
        "title": "BugSigDB captures patterns of differential abundance across a broad "
        "range of host-associated microbial signatures",
        "journal": "Nature Biotechnology",
    },
    "microbiomehd": {
        "doi": "10.1038/s41467-017-01973-8",
        "first_author": "Duvallet",
        "year": 2017,
        "title": "Meta-analysis of gut microbiome studies identifies disease-specific "
        "and shared responses",
        "journal": "Nature Communications",
    },
    "gmhi": {
        "doi": "10.1038/s41467-020-18476-8",
        "first_author": "Gupta",
        "year": 2020,
        "title": "A predictive index for health status using species-level gut "
        "microbiome profiling",
        "journal": "Nature Communications",
    },
    "asnicar": {
        "doi": "10.1038/s41591-020-01183-8",
        "first_author": "Asnicar",
        "year": 2021,
        "title": "Microbiome connections with host metabolism and habitual diet from 1,098 "
        "deeply phenotyped individuals",
        "journal": "Nature Medicine",
    },
    "madin": {
        "doi": "10.1038/s41597-020-0497-4",
        "first_author": "Madin",
        "year": 2020,
        "title": "A synthesis of bacterial and archaeal phenotypic trait data",
        "journal": "Scientific Data",
    },
    "arnoldini": {
        "doi": "10.5281/zenodo.10445505",
        "first_author": "Arnoldini",
        "year": None,
        "title": "Quantifying the daily harvest of fermentation products from the human "
        "gut microbiota (data and code record)",
        "journal": "Zenodo",
    },
}

GRADE = {
    "meta-analysis": "meta-analysis",
    "human RCT": "rct",
    "human controlled trial (randomisation not stated)": "non-randomised-trial",
    "human observational": "human-observational",
    "animal": "animal",
    "in vitro": "in-vitro",
    "narrative review": "review",
    "expert consensus": "consensus",
    # guild evidence types
    "cultured isolate phenotype": "in-vitro",
    "genome content": "genomic",
    "human association": "human-observational",
    "animal model": "animal",
    "review summary": "review",
    # BugSigDB study designs
    "case-control": "human-observational",
    "cross-sectional observational, not case-control": "human-observational",
    "time series / longitudinal observational": "human-observational",
    "prospective cohort": "human-observational",
    "randomized controlled trial": "rct",
    "laboratory experiment": "in-vitro",
}
# Biomarker rows carry no design label; graded here by the kind of paper the row cites.
BIOMARKER_GRADE = {
    "10.1136/gutjnl-2019-318427": "review",  # Camilleri 2019, Gut (review)
    "10.1161/01.CIR.0000052939.59093.45": "consensus",  # AHA/CDC scientific statement
    "10.3748/wjg.v23.i39.7059": "review",  # WJG 2017 review table
}
# Which measured markers of the gutlens biomarker input each biomarkers.tsv row describes.
BIOMARKER_KEYS = {
    "Faecal calprotectin": "calprotectin",
    "Faecal lactoferrin": "lactoferrin",
    "Lactulose/mannitol ratio (LMR)": "lactulose_mannitol_ratio",
    "Intestinal permeability (any test) / 'leaky gut'": "intestinal_permeability",
    "Serum zonulin (commercial ELISA)": "zonulin",
    "Lipopolysaccharide-binding protein (LBP)": "lbp",
    "Plasma LPS (endotoxin)": "lps",
    "Intestinal fatty acid-binding protein (I-FABP)": "i_fabp",
    "D-lactate": "d_lactate",
    "Faecal secretory IgA (sIgA)": "secretory_iga",
    "Faecal elastase-1": "elastase",
    "High-sensitivity C-reactive protein (hs-CRP)": "hs_crp",
}
CANONICAL_UNIT = {
    "calprotectin": "ug/g",
    "lactoferrin": "ug/g",
    "lactulose_mannitol_ratio": "ratio",
    "zonulin": "ng/mL",
    "lbp": "ug/mL",
    "lps": "pg/mL",
    "i_fabp": "pg/mL",
    "d_lactate": "umol/L",
    "secretory_iga": "as reported",
    "elastase": "ug/g",
    "hs_crp": "mg/L",
    "intestinal_permeability": "n/a",
}
MHD_DISEASE = {
    "crc": "colorectal cancer",
    "ibd": "inflammatory bowel disease",
    "cdi": "Clostridioides difficile infection",
    "hiv": "HIV infection",
    "ob": "obesity",
}
RANK_CODE = {
    "k": "kingdom",
    "p": "phylum",
    "c": "class",
    "o": "order",
    "f": "family",
    "g": "genus",
    "s": "species",
}
TRAITS = ("gram_stain", "oxygen_tolerance", "sporulation", "motility")
FOOD_COLS = {
    "Energy (kcal) [208]": "energy_kcal",
    "Protein (g) [203]": "protein_g",
    "Total lipid (fat) (g) [204]": "fat_g",
    "Carbohydrate, by difference (g) [205]": "carbohydrate_g",
    "Fiber, total dietary (g) [291]": "fiber_g",
    "Sugars, total (g) [269]": "sugars_g",
}


class Builder:
    def __init__(self, shared: Path) -> None:
        self.root = shared / SRC
        self.citations: dict[str, dict[str, Any]] = {}
        self.facts: list[dict[str, Any]] = []
        self.skipped: list[dict[str, str]] = []
        self.sources: list[dict[str, Any]] = []
        self.area_map = read_tsv(OUT / "area_keywords.tsv")

    # -- helpers -------------------------------------------------------------------------
    def read(self, rel: str, **kw: Any) -> pd.DataFrame:
        path = self.root / rel
        if rel.endswith(".csv"):
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, **kw)
        else:
            frame = pd.read_csv(path, sep="\t", dtype=str, keep_default_na=False, **kw)
        self.sources.append(
            {"path": f"shared/{SRC}/{rel}", "sha256": sha256(path), "rows": len(frame)}
        )
        return frame

    def areas(self, scope: str, text: str) -> list[str]:
        low = text.lower()
        found = []
        for row in self.area_map:
            if row["scope"] != scope:
                continue
            hit = low == row["keyword"] if scope in ("guild", "kind") else row["keyword"] in low
            if hit and row["area"] not in found:
                found.append(row["area"])
        return found

    def cite(self, doi: str = "", pmid: str = "", **meta: Any) -> str:
        doi, pmid = doi.strip(), pmid.strip()
        if not doi and not pmid:
            raise ValueError("citation without identifier")
        key = f"doi:{doi.lower()}" if doi else f"pmid:{pmid}"
        entry = self.citations.setdefault(
            key, {"key": key, "doi": doi or None, "pmid": pmid or None}
        )
        if pmid and not entry.get("pmid"):
            entry["pmid"] = pmid
        for name, value in meta.items():
            if value not in (None, "") and not entry.get(name):
                entry[name] = value
        return key

    def paper(self, name: str) -> str:
        meta = dict(PAPERS[name])
        return self.cite(doi=meta.pop("doi"), **meta)

    def add(self, **fact: Any) -> None:
        fact.setdefault("areas", [])
        fact["id"] = f"{fact['source'].split('_')[0]}-{len(self.facts) + 1:05d}"
        self.facts.append(fact)

    # -- sources ---------------------------------------------------------------------------
    def guilds(self) -> list[dict[str, Any]]:
        cites = {
            r["doi"].lower(): r
            for r in self.read("curated_guilds/citations.tsv").to_dict("records")
        }
        members = []
        for row in self.read("curated_guilds/guild_members.tsv").to_dict("records"):
            meta = cites.get(row["citation_doi"].lower(), {})
            key = self.cite(
                row["citation_doi"],
                row["citation_pmid"] or meta.get("pmid", ""),
                first_author=meta.get("first_author"),
                year=int(meta["year"]) if meta.get("year") else None,
                title=meta.get("title"),
                journal=meta.get("journal"),
                short=row["citation_short"],
                url=meta.get("verified_url"),
            )
            grade = GRADE[row["evidence_type"]]
            taxon = canonical_name(row["taxon_name"], row["rank"])
            members.append(
                GuildMember(
                    guild=row["guild"],
                    taxon=taxon,
                    rank=row["rank"],
                    former_names=tuple(
                        x.strip() for x in row["former_names"].split(";") if x.strip()
                    ),
                    role=row["role_detail"],
                    evidence_grade=grade,
                    citation=key,
                ).model_dump(mode="json")
            )
            self.add(
                source="curated_guilds",
                subject_type="guild",
                subject=row["guild"],
                areas=self.areas("guild", row["guild"]),
                effect=f"member: {taxon}",
                direction="member",
                evidence_grade=grade,
                targets=[taxon],
                summary=f"{taxon} ({row['rank']}) belongs to the {row['guild']} guild: "
                f"{row['role_detail']}.",
                citations=[key],
            )
        return members

    def interventions(self, known_taxa: set[str]) -> None:
        for row in self.read("curated_interventions/interventions.tsv").to_dict("records"):
            label = row["intervention"]
            if row["direction"] == "not_captured":
                self.skip("interventions.tsv", label, "pooled result not captured")
                continue
            if not (row["citation_doi"] or row["citation_pmid"]):
                self.skip("interventions.tsv", label, "no DOI or PMID seen")
                continue
            key = self.cite(
                row["citation_doi"],
                row["citation_pmid"],
                **short_meta(row["citation_short"]),
                url=row["verified_url"],
            )
            text = f"{row['target']} {row['population']}"
            areas = self.areas("target", text)
            areas += [a for a in self.areas("kind", row["kind"]) if a not in areas]
            self.add(
                source="curated_interventions",
                subject_type="intervention",
                subject=label,
                kind=row["kind"],
                strain=row["strain_id"] or None,
                effect=row["target"],
                direction=row["direction"],
                evidence_grade=GRADE[row["evidence_grade"]],
                population=row["population"],
                summary=row["effect_summary"],
                targets=find_taxa(row["target"], known_taxa),
                areas=areas,
                citations=[key],
            )

    def biomarkers(self) -> list[dict[str, Any]]:
        refs: dict[str, dict[str, Any]] = {}
        for row in self.read("curated_interventions/biomarkers.tsv").to_dict("records"):
            marker = BIOMARKER_KEYS[row["marker"]]
            ref = refs.setdefault(
                marker,
                {
                    "marker": marker,
                    "name": row["marker"],
                    "specimen": row["specimen"],
                    "unit": CANONICAL_UNIT[marker],
                    "low": None,
                    "high": None,
                    "range_note": "",
                    "what_it_measures": row["what_it_measures"],
                    "limitations": "",
                    "citations": [],
                },
            )
            if not row["citation_doi"]:
                self.skip(
                    "biomarkers.tsv",
                    f"{row['marker']} ({row['citation_short']})",
                    "no DOI or PMID seen: its range and limits are not used",
                )
                continue
            key = self.cite(
                row["citation_doi"], **short_meta(row["citation_short"]), url=row["verified_url"]
            )
            ref["citations"].append(key)
            if row["reference_range_low"]:
                ref["low"] = float(row["reference_range_low"])
            if row["reference_range_high"]:
                ref["high"] = float(row["reference_range_high"])
            ref["range_note"] = row["interpretation_bands"]
            ref["limitations"] = row["limitations"]
            ref["what_it_measures"] = row["what_it_measures"]
            self.add(
                source="curated_interventions",
                subject_type="biomarker",
                subject=marker,
                effect=row["what_it_measures"],
                direction="n/a",
                evidence_grade=BIOMARKER_GRADE.get(row["citation_doi"], "human-observational"),
                areas=["immune"]
                if marker in ("lbp", "lps", "hs_crp", "zonulin", "intestinal_permeability")
                else ["digestive"],
                summary=f"{row['interpretation_bands']} Limits: {row['limitations']}",
                citations=[key],
            )
        out = []
        for ref in refs.values():
            if not ref["citations"]:
                ref["range_note"] = (
                    "No range or limits with a verified DOI/PMID in the knowledge "
                    "base; the value is shown without interpretation."
                )
                ref["limitations"] = ""
            out.append(BiomarkerReference(**ref).model_dump(mode="json"))
        return out

    def consensus(self) -> None:
        for row in self.read("curated_interventions/consensus.tsv").to_dict("records"):
            if not (row["citation_doi"] or row["citation_pmid"]):
                self.skip("consensus.tsv", row["item_id"], "no DOI or PMID seen")
                continue
            key = self.cite(
                row["citation_doi"],
                row["citation_pmid"],
                **short_meta(row["citation_short"]),
                url=row["verified_url"],
            )
            cat = row["category"]
            if "FB_ratio" in cat or row["item_id"] == "C08":
                stype, subject = "index", "firmicutes_bacteroidetes_ratio"
            elif cat.startswith("stool_form"):
                stype, subject = "symptom", "bristol_stool_type"
            else:
                stype, subject = "testing", cat
            grade = (
                "consensus"
                if row["citation_doi"] == "10.1016/S2468-1253(24)00311-X"
                else (
                    "review"
                    if cat in ("critique_FB_ratio", "clinician_guide")
                    else "human-observational"
                )
            )
            self.add(
                source="curated_interventions",
                subject_type=stype,
                subject=subject,
                effect=row["implication_for_report"],
                direction="n/a",
                evidence_grade=grade,
                summary=row["statement"],
                citations=[key],
                strength=row["item_id"],
            )

    def bugsigdb(self) -> None:
        sigs = self.read("bugsigdb_prerelease_2020/signatures_human_feces.tsv")
        design = dict(zip(sigs["signature_row"], sigs["study_design"], strict=True))
        taxa = self.read("bugsigdb_prerelease_2020/signature_taxa_human_feces.tsv")
        db = self.paper("bugsigdb")
        groups: dict[tuple[str, str, str, str, str], set[tuple[str, str]]] = defaultdict(set)
        for row in taxa.to_dict("records"):
            rank = row["taxon_rank"]
            if rank not in ("phylum", "class", "order", "family", "genus", "species"):
                continue
            grade = GRADE[design[row["signature_row"]].strip()]
            name = canonical_name(row["taxon_name"].replace("_", " ").strip(), rank)
            if not name:
                continue
            key = (name, rank, row["condition"], row["direction_in_case"], grade)
            groups[key].add((row["pmid"], row["signature_row"]))
        for (name, rank, condition, way, grade), hits in sorted(groups.items()):
            pmids = sorted({p for p, _ in hits}, key=int)
            word = "higher" if way == "increased" else "lower"
            self.add(
                source="bugsigdb_prerelease_2020",
                subject_type="taxon",
                subject=name,
                rank=rank,
                effect=condition,
                areas=self.areas("condition", condition),
                direction=f"{word}_in_condition",
                evidence_grade=grade,
                strength=f"{len(hits)} signature(s), {len(pmids)} stud(ies)",
                summary=f"{name} was reported {word} in the case or exposed group for "
                f"'{condition}' in {len(hits)} stool signature(s) from {len(pmids)} "
                "stud(ies) (BugSigDB 2020 pre-release curation; association only).",
                citations=[self.cite(pmid=p) for p in pmids] + [db],
            )

    def microbiomehd(self) -> None:
        paper = self.paper("microbiomehd")
        spec = self.read(
            "microbiomehd_duvallet2017/file-S2.disease_specific_genera.tsv", index_col=0
        )
        for lineage, row in spec.iterrows():
            genus = rdp_genus(str(lineage))
            for code, value in row.items():
                if not value:
                    continue
                disease = MHD_DISEASE[str(code)]
                way = "higher" if value == "disease" else "lower"
                self.add(
                    source="microbiomehd_duvallet2017",
                    subject_type="taxon",
                    subject=genus,
                    rank="genus",
                    effect=disease,
                    areas=self.areas("condition", disease),
                    direction=f"{way}_in_condition",
                    evidence_grade="meta-analysis",
                    strength="q<0.05 in the same direction in >=2 datasets",
                    summary=f"Genus {genus} was {way} in {disease} cases than controls in "
                    "at least two 16S case-control datasets (MicrobiomeHD meta-analysis).",
                    citations=[paper],
                )
        shared = self.read("microbiomehd_duvallet2017/file-S3.nonspecific_genera.tsv", index_col=0)
        for lineage, row in shared.iterrows():
            value = row["overall"]
            if not value:
                continue
            genus = rdp_genus(str(lineage))
            direction = {
                "disease": "disease_associated",
                "health": "health_associated",
                "mixed": "inconsistent",
            }[value]
            self.add(
                source="microbiomehd_duvallet2017",
                subject_type="taxon",
                subject=genus,
                rank="genus",
                effect="shared response across diseases",
                direction=direction,
                evidence_grade="meta-analysis",
                strength=f"overall: {value}",
                summary=f"Genus {genus} showed a shared '{value}' response across at least "
                "two different diseases (MicrobiomeHD, non-specific genera).",
                citations=[paper],
            )

    def health_sets(self) -> None:
        paper = self.paper("gmhi")
        for row in self.read("gmhi/gmhi_species.tsv").to_dict("records"):
            name = canonical_name(row["species_name"], "species")
            prevalent = row["gmhi_class"] == "health_prevalent"
            self.add(
                source="gmhi",
                subject_type="taxon",
                subject=name,
                rank="species",
                effect="GMHI species set",
                evidence_grade="human-observational",
                direction="health_associated" if prevalent else "disease_associated",
                strength=row["gmhi_class"],
                summary=f"{name} is in the GMHI {row['gmhi_class'].replace('_', '-')} "
                "species set of the Gut Microbiome Health Index ("
                + (
                    "more prevalent in healthy than in non-healthy stool metagenomes)."
                    if prevalent
                    else "less prevalent in healthy than in non-healthy stool metagenomes)."
                ),
                citations=[paper],
            )
        paper = self.paper("asnicar")
        for row in self.read(
            "asnicar2021_health_species/asnicar2021_top_species_via_bugphyzz.tsv"
        ).to_dict("records"):
            if not row["taxon_name"]:
                self.skip("asnicar2021", f"taxid {row['ncbi_tax_id']}", "no species name")
                continue
            name = canonical_name(row["taxon_name"], "species")
            good = row["asnicar2021_class"].startswith("good")
            self.add(
                source="asnicar2021_health_species",
                subject_type="taxon",
                subject=name,
                rank="species",
                effect="PREDICT 1 diet and cardiometabolic markers",
                areas=["nutrition", "metabolism"],
                evidence_grade="human-observational",
                direction="health_associated" if good else "disease_associated",
                strength=row["asnicar2021_class"],
                summary=f"{name} was among the top species linked to "
                + (
                    "healthier diet indices and favourable"
                    if good
                    else "less healthy diet indices and unfavourable"
                )
                + " cardiometabolic markers in PREDICT 1 (1,098 adults; association).",
                citations=[paper],
            )

    def fermentation(self) -> None:
        names = self.read("fermentation_products_arnoldini/species_names.csv")
        full = dict(zip(names["species_HPLCname"], names["new_species"], strict=False))
        means = self.read("fermentation_products_arnoldini/mean_by_strain_medium.csv")
        paper = self.paper("arnoldini")
        products = ("acetate", "propionate", "succinate", "lactate", "butyrate", "formate")
        for row in means.to_dict("records"):
            if not row["strain"]:  # a stray second header line in the source file
                continue
            species = canonical_name(full.get(row["species"], row["species"]), "species")
            values = {p: float(row[p].split("\\pm")[0]) for p in products if row[p]}
            made = [f"{p} {v:.2f}" for p, v in values.items() if v > 0]
            self.add(
                source="fermentation_products_arnoldini",
                subject_type="taxon",
                subject=species,
                rank="species",
                effect=f"fermentation products ({row['medium']})",
                direction="trait",
                evidence_grade="in-vitro",
                strength=f"strain {row['strain']}, n={row['num_av']}",
                summary=f"Strain {row['strain']} of {species} grown alone in {row['medium']} "
                "medium excreted "
                + (", ".join(made) or "no measured products")
                + " (biomass-normalised rates as in the data set; monoculture, not in-gut).",
                citations=[paper],
            )

    def traits(self, species: set[str]) -> None:
        table = self.read("madin2020_traits/species_traits_consensus.tsv")
        paper = self.paper("madin")
        for row in table.to_dict("records"):
            name = canonical_name(row["species"], "species")
            if name not in species:
                continue
            for trait in TRAITS:
                if row[trait]:
                    self.add(
                        source="madin2020_traits",
                        subject_type="taxon",
                        subject=name,
                        rank="species",
                        effect=f"{trait}: {row[trait]}",
                        direction="trait",
                        evidence_grade="in-vitro",
                        strength=row[f"{trait}_support"],
                        summary=f"{name}: {trait.replace('_', ' ')} {row[trait]} "
                        f"(majority of {row[f'{trait}_support']} source records).",
                        citations=[paper],
                    )
            if row["pathways"]:
                self.add(
                    source="madin2020_traits",
                    subject_type="taxon",
                    subject=name,
                    rank="species",
                    effect=f"pathways: {row['pathways']}",
                    direction="trait",
                    evidence_grade="in-vitro",
                    strength=row["n_sources"],
                    summary=f"{name}: recorded pathways {row['pathways']}.",
                    citations=[paper],
                )

    def foods(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        foods = self.read("usda_sr28/foods_nutrients_per100g.tsv")
        flav = self.read("usda_flavonoid_r3_3/flavonoids_total_mg_per100g.tsv")
        flav_by = {
            r["sr28_ndb_no"]: float(r["flavonoids_mg_per_100g"])
            for r in flav.to_dict("records")
            if r["sr28_ndb_no"]
        }
        out = []
        for row in foods.to_dict("records"):
            item: dict[str, Any] = {
                "ndb_no": row["ndb_no"],
                "food_group": row["food_group"],
                "description": row["description"],
            }
            for col, name in FOOD_COLS.items():
                item[name] = float(row[col]) if row[col] else None
            item["flavonoids_mg"] = flav_by.get(row["ndb_no"])
            out.append(item)
        portions = [
            {
                "ndb_no": r["ndb_no"],
                "amount": float(r["amount"]),
                "measure": r["measure_description"],
                "grams": float(r["gram_weight"]),
            }
            for r in self.read("usda_sr28/food_portions.tsv").to_dict("records")
        ]
        return out, portions

    # -- gutlens' own curated tables ----------------------------------------------------------
    def curated(self, biomarkers: list[dict[str, Any]]) -> None:
        """Add ``scripts/curated``: citations, symptom facts, biomarker ranges, FODMAP foods."""
        cites = {}
        for row in self.read_curated("citations.tsv"):
            # a source with no DOI is named by its PMID ("pmid:22720303") in facts.tsv
            cites[row["doi"].lower() or f"pmid:{row['pmid']}"] = row
        keys = {}
        for doi, row in cites.items():
            keys[doi] = self.cite(
                row["doi"],
                row["pmid"],
                first_author=row["first_author"] or None,
                year=int(row["year"]) if row["year"] else None,
                title=row["title"],
                journal=row["journal"],
                url=row["verified_url"],
            )

        def refs(text: str) -> list[str]:
            return [keys[d.strip().lower()] for d in text.split(";") if d.strip()]

        for row in self.read_curated("facts.tsv"):
            self.add(
                source="gutlens_curated",
                subject_type=row["subject_type"],
                subject=row["subject"],
                effect=row["effect"],
                direction=row["direction"],
                evidence_grade=row["evidence_grade"],
                areas=[a for a in row["areas"].split(";") if a],
                summary=row["summary"],
                strength=row["item_id"],
                citations=refs(row["citation_dois"]),
            )
        by_marker = {b["marker"]: b for b in biomarkers}
        for row in self.read_curated("biomarkers.tsv"):
            ref = by_marker[row["marker"]]
            ref["range_note"] = row["interpretation_bands"]
            ref["limitations"] = row["limitations"]
            if not row["citation_dois"]:  # a note only (no source with a range exists)
                continue
            ref["low"] = float(row["reference_range_low"]) if row["reference_range_low"] else None
            ref["high"] = (
                float(row["reference_range_high"]) if row["reference_range_high"] else None
            )
            ref["citations"] = refs(row["citation_dois"])
            self.add(
                source="gutlens_curated",
                subject_type="biomarker",
                subject=row["marker"],
                effect=ref["what_it_measures"],
                direction="n/a",
                evidence_grade=row["evidence_grade"],
                areas=["digestive"],
                summary=f"{row['interpretation_bands']} Limits: {row['limitations']}",
                citations=ref["citations"],
            )
        for row in self.read_curated("fodmap_foods.tsv"):
            self.add(
                source="gutlens_curated",
                subject_type="food",
                subject=row["food"],
                kind="food",
                effect=f"high in FODMAPs ({row['fodmap_class']})",
                direction="n/a",
                evidence_grade="review",
                areas=["digestive", "nutrition"],
                summary=row["summary"],
                strength=f"{row['item_id']}; excluded by low_fodmap (tag {row['exclusion_rule']})",
                citations=refs(row["citation_dois"]),
            )

    def read_curated(self, name: str) -> list[dict[str, str]]:
        path = CURATED / name
        rows = read_tsv(path)
        self.sources.append({"path": str(path), "sha256": sha256(path), "rows": len(rows)})
        return rows

    def skip(self, table: str, row: str, why: str) -> None:
        self.skipped.append({"table": table, "row": row, "reason": why})


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def short_meta(short: str) -> dict[str, Any]:
    """First author, year and journal from e.g. ``So et al. 2018, Am J Clin Nutr``."""
    meta: dict[str, Any] = {"short": short}
    match = re.match(
        r"^([A-Z][\w'\- ]*?)(?: et al\.| &[^0-9]*)?\s+((?:19|20)\d\d)\b,?\s*(.*)$", short
    )
    if match:
        head, rest = match.group(1).strip(), match.group(3).strip()
        meta["year"] = int(match.group(2))
        if rest.startswith(("'", "SR/MA")) or (len(head.split()) > 2 and "et al" not in short):
            # "Journal year, 'Title'" or "Journal year;vol": no author given
            meta["journal"] = head
            meta["title"] = rest.split("'")[1] if "'" in rest else None
            return meta
        meta["first_author"] = head
        journal = re.sub(r"[\s\d:;.,-]+$", "", rest.split("(")[0])
        meta["journal"] = journal.strip(" ,") or None
    return meta


def rdp_genus(lineage: str) -> str:
    genus = lineage.split(";")[-1].removeprefix("g__").replace("_", " ")
    return canonical_name(genus, "genus")


def find_taxa(text: str, known: set[str]) -> list[str]:
    """Canonical taxon names mentioned in an intervention's target text (whole-word matches)."""
    found = []
    for name in sorted(known, key=len, reverse=True):
        if re.search(rf"\b{re.escape(name)}\b", text) and not any(name in f for f in found):
            found.append(name)
    for abbrev, name in (
        (r"\bR\. bromii\b", "Ruminococcus bromii"),
        (r"\bE\. rectale\b", "Agathobacter rectalis"),
        (r"\bE\. coli\b", "Escherichia coli"),
        (r"\bE\. faecalis\b", "Enterococcus faecalis"),
        (r"\bF\. nucleatum\b", "Fusobacterium nucleatum"),
    ):
        if re.search(abbrev, text) and name not in found:
            found.append(name)
    # short-chain fatty acids named as outcomes: "metabolite:<name>" (a guild <name>_producer
    # matches them; see KnowledgeBase.interventions_for)
    for metabolite in ("butyrate", "propionate", "acetate"):
        if re.search(rf"\b{metabolite}\b", text, re.IGNORECASE):
            found.append(f"metabolite:{metabolite}")
    return sorted(found)


def dump_json(path: Path, data: Any) -> None:
    path.write_text(
        json.dumps(data, indent=0, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--version", default=VERSION)
    args = parser.parse_args()
    b = Builder(args.shared)
    members = b.guilds()
    known = {m["taxon"] for m in members} | {
        "Bifidobacterium",
        "Lactobacillus",
        "Parabacteroides distasonis",
        "Escherichia",
    }
    b.interventions(known)
    biomarkers = b.biomarkers()
    b.consensus()
    b.bugsigdb()
    b.microbiomehd()
    b.health_sets()
    b.fermentation()
    species = {f["subject"] for f in b.facts if f.get("rank") == "species"}
    species |= {m["taxon"] for m in members if m["rank"] == "species"}
    b.traits(species)
    b.curated(biomarkers)
    biomarkers = [BiomarkerReference(**r).model_dump(mode="json") for r in biomarkers]
    foods, portions = b.foods()

    pool = meal_pool(foods, portions)
    with (OUT / "meal_pool.tsv").open("w", encoding="utf-8", newline="") as handle:
        cols = ["ndb_no", "role", "plant", "amount", "measure", "grams", "description"]
        writer = csv.DictWriter(handle, cols, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(pool)

    used = {k for f in b.facts for k in f["citations"]}
    citations = [
        Citation(**c).model_dump(mode="json", exclude_none=True)
        for k, c in sorted(b.citations.items())
        if k in used
    ]
    facts = [Fact(**f).model_dump(mode="json", exclude_none=True) for f in b.facts]
    data_sources = [
        {
            "key": "usda_sr28",
            "title": "USDA National Nutrient Database for Standard Reference, "
            "Release 28 (slightly revised May 2016)",
            "publisher": "US Department of Agriculture, "
            "Agricultural Research Service, Nutrient Data Laboratory",
            "year": 2016,
            "url": "http://www.ars.usda.gov/ba/bhnrc/ndl",
            "licence": "public domain (US Government work)",
        },
        {
            "key": "usda_flavonoid_r3_3",
            "title": "USDA Database for the Flavonoid Content of Selected Foods, Release 3.3",
            "publisher": "USDA-ARS Nutrient Data Laboratory",
            "year": 2018,
            "doi": "10.15482/USDA.ADC/1529181",
            "licence": "public domain (US Government work)",
        },
    ]
    OUT.mkdir(parents=True, exist_ok=True)
    dump_json(OUT / "citations.json", citations)
    with (OUT / "facts.jsonl").open("w", encoding="utf-8") as handle:
        for fact in facts:
            handle.write(json.dumps(fact, ensure_ascii=False, sort_keys=True) + "\n")
    dump_json(OUT / "guild_members.json", members)
    dump_json(OUT / "biomarkers.json", biomarkers)
    dump_json(OUT / "data_sources.json", data_sources)
    with gzip.open(OUT / "foods.json.gz", "wt", encoding="utf-8", compresslevel=9) as h:
        h.write(json.dumps({"foods": foods, "portions": portions}, separators=(",", ":")))
    # gzip embeds a timestamp; fix it for reproducible bytes
    raw = bytearray((OUT / "foods.json.gz").read_bytes())
    raw[4:8] = b"\0\0\0\0"
    (OUT / "foods.json.gz").write_bytes(bytes(raw))

    payload = [
        "citations.json",
        "facts.jsonl",
        "guild_members.json",
        "biomarkers.json",
        "data_sources.json",
        "foods.json.gz",
        "area_keywords.tsv",
        "meal_pool.tsv",
    ]
    digest = hashlib.sha256()
    for name in payload:
        digest.update(name.encode())
        digest.update((OUT / name).read_bytes())
    counts = {
        "citations": len(citations),
        "facts": len(facts),
        "guild_members": len(members),
        "biomarkers": len(biomarkers),
        "foods": len(foods),
        "portions": len(portions),
        "meal_pool": len(pool),
    }
    manifest = {
        "version": args.version,
        "checksum": digest.hexdigest(),
        "built_by": "scripts/build_knowledge.py",
        "counts": counts,
    }
    dump_json(OUT / "MANIFEST.json", manifest)
    provenance = {
        "built_by": "scripts/build_knowledge.py",
        "version": args.version,
        "sources": b.sources,
        "skipped": b.skipped,
        "area_map": "src/gutlens/knowledge/data/area_keywords.tsv (hand-written)",
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")
    print(json.dumps(counts), f"skipped {len(b.skipped)} rows")


if __name__ == "__main__":
    main()
