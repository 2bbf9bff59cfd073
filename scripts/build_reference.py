"""Build the shipped reference bundle and the published-index data from ``../shared/data``.

Writes

- ``src/gutlens/analysis/indices/data/``: GMHI species lists and GMWI2 coefficients with
  canonical names (gutlens' synonym table), plus PROVENANCE.json;
- ``src/gutlens/reference/data/metaml_healthy/``: the MetAML healthy one-per-subject cohort
  (Pasolli et al. 2016) read through gutlens' own model (so names are canonical), its
  per-sample metrics, the Bray-Curtis PCoA at species and genus rank, the GMHI distribution of
  the 4,347-sample cohort of Gupta et al. 2020, and PROVENANCE.json.

Re-runnable: ``python scripts/build_reference.py [--shared ../shared/data]``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.spatial.distance import pdist, squareform

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gutlens.model import ProfileTable  # noqa: E402
from gutlens.taxonomy import canonical_lineage, parse_lineage  # noqa: E402

VERSION = "2026.11.2"
NAME = "metaml_healthy"
INDICES_DIR = ROOT / "src/gutlens/analysis/indices/data"
REFERENCE_DIR = ROOT / "src/gutlens/reference/data" / NAME
#: Quantile of the reference samples' smallest non-zero shares taken as the detection floor.
DETECTION_QUANTILE = 0.95


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def canonical(label: str) -> tuple[str, str]:
    lineage = canonical_lineage(parse_lineage(label))
    return lineage.rank, lineage.name


def build_indices(shared: Path) -> None:
    INDICES_DIR.mkdir(parents=True, exist_ok=True)
    gmhi_src = shared / "knowledge/gmhi/gmhi_species.tsv"
    gmhi = pd.read_csv(gmhi_src, sep="\t")
    gmhi["name"] = [canonical(label)[1] for label in gmhi["metaphlan2_species"]]
    gmhi[["name", "metaphlan2_species", "species_name", "gmhi_class"]].to_csv(
        INDICES_DIR / "gmhi_species.tsv", sep="\t", index=False
    )
    gmwi_src = shared / "knowledge/gmwi2/gmwi2_coefficients.tsv"
    gmwi = pd.read_csv(gmwi_src, sep="\t")
    pairs = [canonical(label) for label in gmwi["taxon_lineage_metaphlan3"]]
    gmwi["rank"] = [rank for rank, _ in pairs]
    gmwi["name"] = [name for _, name in pairs]
    if gmwi.duplicated(["rank", "name"]).any():
        raise SystemExit("GMWI2 features collide after canonical renaming")
    gmwi[["rank", "name", "coefficient", "taxon_lineage_metaphlan3", "direction"]].to_csv(
        INDICES_DIR / "gmwi2_coefficients.tsv", sep="\t", index=False
    )
    provenance = {
        "built_by": "scripts/build_reference.py",
        "sources": {
            "gmhi_species.tsv": {
                "source": "shared/data/knowledge/gmhi/gmhi_species.tsv "
                "(github:jaeyunsung/GMHI_2020 MH_species.txt, MN_species.txt)",
                "sha256": sha256(gmhi_src),
                "citation": "doi:10.1038/s41467-020-18476-8",
            },
            "gmwi2_coefficients.tsv": {
                "source": "shared/data/knowledge/gmwi2/gmwi2_coefficients.tsv "
                "(github:danielchang2002/GMWI2 GMWI2_model.joblib)",
                "sha256": sha256(gmwi_src),
                "citation": "doi:10.1038/s41467-024-51651-9",
            },
        },
        "note": "names are canonical (gutlens taxon_renames.tsv); the original labels are kept",
    }
    (INDICES_DIR / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")


def by_rank_and_name(table: ProfileTable) -> tuple[pd.DataFrame, sparse.csr_array]:
    """Collapse rows sharing (rank, canonical name); keep the first lineage as example."""
    taxa = table.taxa.reset_index()
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(taxa[["rank", "name"]]))
    merge = sparse.csr_array(
        (np.ones(len(codes)), (codes, np.arange(len(codes)))), shape=(len(uniques), len(codes))
    )
    abundance = sparse.csr_array(merge @ table.abundance)
    first = taxa.groupby(codes, sort=True).first()
    out = pd.DataFrame(
        {"rank": first["rank"].to_numpy(), "name": first["name"].to_numpy()},
        index=pd.Index(first["lineage"].to_numpy(), name="lineage"),
    )
    return out, abundance


def build_reference(shared: Path) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    from gutlens.analysis.alpha import alpha_matrix
    from gutlens.analysis.beta import bray_curtis_matrix, fit_pcoa, leave_one_out_medians
    from gutlens.analysis.indices.gmhi import gmhi_score
    from gutlens.analysis.indices.gmwi2 import gmwi2_score
    from gutlens.reference import _population, read_metaml_table

    source = shared / "reference/metaml_pasolli2016_stool"
    table_path = source / "relative_abundance_all_ranks.tsv.gz"
    samples_path = source / "samples.tsv"
    samples = pd.read_csv(samples_path, sep="\t", dtype=str, keep_default_na=False)
    healthy = samples[samples["healthy_reference_one_per_subject"] == "True"]
    table = read_metaml_table(table_path)
    taxa, abundance = by_rank_and_name(table)
    columns = pd.Index(table.sample_ids).get_indexer(healthy["sample_uid"])
    if (columns < 0).any():
        raise SystemExit("reference samples missing from the abundance table")
    abundance = sparse.csr_array(abundance[:, columns].astype(np.float32))
    abundance.eliminate_zeros()

    sex = healthy["gender"].str.lower().where(healthy["gender"].isin(["male", "female"]), "")
    meta = pd.DataFrame(
        {
            "dataset": healthy["dataset_name"].to_numpy(),
            "subject": healthy["subjectID"].to_numpy(),
            "age": pd.to_numeric(healthy["age"], errors="coerce").to_numpy(),
            "sex": sex.to_numpy(),
            "country": healthy["country"].to_numpy(),
        },
        index=pd.Index(healthy["sample_uid"].to_numpy(), name="sample_id"),
    )
    REFERENCE_DIR.mkdir(parents=True, exist_ok=True)
    taxa.to_csv(REFERENCE_DIR / "taxa.tsv", sep="\t")
    buffer = io.BytesIO()
    sparse.save_npz(buffer, sparse.csr_matrix(abundance), compressed=True)
    (REFERENCE_DIR / "abundance.npz").write_bytes(buffer.getvalue())
    meta.to_csv(REFERENCE_DIR / "samples.tsv", sep="\t")
    provenance = {
        "name": NAME,
        "version": VERSION,
        "citation": "doi:10.1371/journal.pcbi.1004977",
        "files": {"taxa.tsv": "", "samples.tsv": "", "abundance.npz": ""},
    }
    (REFERENCE_DIR / "PROVENANCE.json").write_text(json.dumps(provenance))
    _population.load_reference.cache_clear()
    reference = _population.load_reference(NAME)

    # per-sample metrics, from the stored (float32) values exactly as analyses will see them
    metrics = pd.DataFrame(index=meta.index)
    pcoa_arrays: dict[str, np.ndarray] = {}
    pcoa_summary: dict[str, object] = {}
    nonzero_minimum = min(
        float(reference.rank_matrix(rank)[0][reference.rank_matrix(rank)[0] > 0].min())
        for rank in _population.BETA_RANKS
    )
    reference.clr_pseudocount = nonzero_minimum / 2
    for rank in _population.BETA_RANKS:
        matrix, names = reference.rank_matrix(rank)
        for metric, values in alpha_matrix(matrix).items():
            metrics[f"{rank}_{metric}"] = values
        distances = bray_curtis_matrix(matrix)
        metrics[f"{rank}_loo_median_bray_curtis"] = leave_one_out_medians(distances)
        clr_matrix, _ = reference.rank_clr(rank)
        metrics[f"{rank}_loo_median_aitchison"] = leave_one_out_medians(
            squareform(pdist(clr_matrix, "euclidean"))
        )
        pcoa = fit_pcoa(distances)
        pcoa_arrays[f"{rank}_coordinates"] = pcoa.coordinates
        pcoa_arrays[f"{rank}_eigenvalues"] = pcoa.eigenvalues
        pcoa_arrays[f"{rank}_total"] = np.array(pcoa.total)
        pcoa_arrays[f"{rank}_centroid_sq"] = pcoa.centroid_sq
        pcoa_summary[rank] = {
            "taxa": len(names),
            "axes": len(pcoa.eigenvalues),
            "explained": [round(float(v), 4) for v in pcoa.explained],
        }
    detection = detection_floor(reference, _population.BETA_RANKS)
    species, species_names = reference.rank_matrix("species")
    metrics["gmhi"] = [gmhi_score(pd.Series(row, index=species_names)).value for row in species]
    dense = reference.dense()
    ranks = reference.taxa["rank"].to_numpy()
    names = reference.taxa["name"].to_numpy()
    metrics["gmwi2_mapped"] = [
        gmwi2_score(ranks, names, dense[:, i])[0] for i in range(dense.shape[1])
    ]
    features_present = sum(
        1 for rank, name in _gmwi2_features() if name in reference.rank_index(rank)
    )
    meta.join(metrics).to_csv(REFERENCE_DIR / "samples.tsv", sep="\t", float_format="%.17g")
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **pcoa_arrays)
    (REFERENCE_DIR / "pcoa.npz").write_bytes(buffer.getvalue())

    gmhi_src = shared / "reference/gmhi2020_4347_indices/training4347_metadata_gmhi.tsv"
    cohort = pd.read_csv(gmhi_src, sep="\t")
    cohort[["gmhi", "is_healthy", "phenotype", "study"]].to_csv(
        REFERENCE_DIR / "gmhi_cohort.tsv", sep="\t", index=False
    )

    sizes = meta.assign(band=pd.cut(meta["age"], [0, 18, 40, 60, 200], right=False))
    strata = sizes.groupby(["band", "sex"], observed=False).size()
    provenance = {
        "name": NAME,
        "version": VERSION,
        "citation": "doi:10.1371/journal.pcbi.1004977",
        "description": (
            "MetAML stool metagenomes (Pasolli et al. 2016), healthy controls, one sample per "
            "subject (column healthy_reference_one_per_subject), MetaPhlAn2 relative abundances "
            "at every rank read through gutlens' MetaPhlAn model (canonical names), stored as "
            "fractions of the classified total (float32)."
        ),
        "profiler": {"tool": "MetaPhlAn", "tool_version": "2", "database": "MetaPhlAn2 (2016)"},
        "n": len(meta),
        "studies": {str(k): int(v) for k, v in meta["dataset"].value_counts().items()},
        "countries": {str(k): int(v) for k, v in meta["country"].value_counts().items()},
        "strata": {
            "rule": "age band x sex, then age band, then sex; a group needs >= 50 samples",
            "sizes": {f"{band}|{sex or 'unknown'}": int(n) for (band, sex), n in strata.items()},
            "too_small": [
                f"{band}|{sex or 'unknown'}"
                for (band, sex), n in strata.items()
                if n < _population.MIN_STRATUM and sex
            ],
        },
        "taxa": {str(k): int(v) for k, v in taxa["rank"].value_counts().items()},
        "pcoa": pcoa_summary,
        "pcoa_projection": "Gower 1968 add-a-point formula, doi:10.1093/biomet/55.3.582",
        "clr_pseudocount": nonzero_minimum / 2,
        "clr_pseudocount_rule": "half the smallest non-zero relative abundance at species or "
        "genus rank in the reference",
        "detection_floor": detection,
        "metrics": {
            "alpha": "richness, shannon (ln), simpson (1 - sum p^2), inverse_simpson, pielou at "
            "species and genus rank",
            "gmhi": "GMHI (Gupta et al. 2020) on the MetaPhlAn2 species: the published setting",
            "gmwi2_mapped": (
                f"GMWI2 features matched by rank and canonical name: {features_present} of "
                f"{len(_gmwi2_features())} MetaPhlAn 3 features exist in this MetaPhlAn2 "
                "taxonomy, so these values are not on the published GMWI2 scale"
            ),
            "loo_median_bray_curtis": "median Bray-Curtis to the other reference samples",
            "loo_median_aitchison": "median Aitchison (CLR, clr_pseudocount) distance to the "
            "other reference samples",
        },
        "secondary": {
            "gmhi_cohort.tsv": {
                "source": "shared/data/reference/gmhi2020_4347_indices/"
                "training4347_metadata_gmhi.tsv (column gmhi, q2-health-index expected output)",
                "sha256": sha256(gmhi_src),
                "n": len(cohort),
                "healthy": int(cohort["is_healthy"].sum()),
                "citation": "doi:10.1038/s41467-020-18476-8",
            }
        },
        "sources": {
            str(table_path.relative_to(shared.parent)): sha256(table_path),
            str(samples_path.relative_to(shared.parent)): sha256(samples_path),
        },
        "built_by": "scripts/build_reference.py",
        "files": {
            path.name: sha256(path)
            for path in sorted(REFERENCE_DIR.iterdir())
            if path.name != "PROVENANCE.json"
        },
    }
    (REFERENCE_DIR / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")


def detection_floor(reference: Any, ranks: tuple[str, ...]) -> dict[str, object]:
    """The reference's empirical detection floor at each rank.

    MetaPhlAn2 reports a taxon only when its marker genes are covered, so the smallest non-zero
    share in a sample is where that sample's detection stopped. The floor is the
    DETECTION_QUANTILE quantile of these per-sample minima over the reference cohort (shares of
    the rank total, as stored): a taxon at or above it would have been reported in about 95% of
    the reference samples.
    """
    out: dict[str, object] = {
        "rule": (
            f"detection floor = the {DETECTION_QUANTILE:g} quantile over the reference samples "
            "of each sample's smallest non-zero share of the rank total (MetaPhlAn2 reports "
            "only taxa whose markers are covered, so this minimum is where each sample's "
            "detection stopped); used to count a cross-platform sample's taxa as MetaPhlAn2 "
            "would have detected them"
        ),
        "quantile": DETECTION_QUANTILE,
    }
    for rank in ranks:
        matrix = reference.rank_matrix(rank)[0]
        minima = np.where(matrix > 0, matrix, np.inf).min(axis=1)
        minima = minima[np.isfinite(minima)]
        quantiles = np.quantile(minima, [0.05, 0.25, 0.5, 0.75, 0.95])
        out[rank] = float(np.quantile(minima, DETECTION_QUANTILE))
        out[f"{rank}_per_sample_minimum"] = {
            "n": len(minima),
            "quantiles": {
                f"{q:g}": float(v)
                for q, v in zip((0.05, 0.25, 0.5, 0.75, 0.95), quantiles, strict=True)
            },
        }
    return out


def _gmwi2_features() -> list[tuple[str, str]]:
    table = pd.read_csv(INDICES_DIR / "gmwi2_coefficients.tsv", sep="\t")
    return list(zip(table["rank"].astype(str), table["name"].astype(str), strict=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared/data")
    args = parser.parse_args()
    shared = args.shared.resolve()
    build_indices(shared)
    build_reference(shared)
    total = sum(p.stat().st_size for p in REFERENCE_DIR.iterdir())
    total += sum(p.stat().st_size for p in INDICES_DIR.iterdir())
    print(f"wrote {REFERENCE_DIR} and {INDICES_DIR}: {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
