"""Train the gutlens health-status model and ship it as JSON (no pickle).

Data: MetAML stool profiles (Pasolli et al. 2016, doi:10.1371/journal.pcbi.1004977), MetaPhlAn 2
species, read with gutlens' own model. Healthy = the study's control label
(``is_healthy_control``); non-healthy = a disease/condition label. Left out: unlabelled samples
(``-``) and the two groups that are neither (``leaness``: lean Danes; ``n_relative``: healthy
relatives of IBD patients). One sample per subject: the order of datasets follows the reference
build (metahit, Neilsen, Chatelier, hmp, hmpii, t2dmeta_long, t2dmeta_short, then the rest).

Model: L1-regularised logistic regression (scikit-learn, liblinear, balanced class weights) on
log10(relative abundance + 1e-5) of species present in at least 10% of the training samples
(standardised for fitting; the shipped coefficients are converted back to the log10 scale), as
GMWI2 (Chang et al. 2024) uses a penalised logistic regression on species. The penalty C is
chosen by 5-fold inner cross-validation (AUC) on the training part only.

Evaluation: leave-one-study-out over the studies that hold both classes. Each held-out study's
AUC, and the pooled AUC of all out-of-fold probabilities, are shipped with the model. GMHI (Gupta
et al. 2020, doi:10.1038/s41467-020-18476-8) is scored on the same held-out samples for
comparison; it is implemented here (analysis-core's module is not on this branch) exactly as the
GMHI README in ``reference/gmhi2020_gupta`` describes, and checked against the authors' 25 demo
values before use. GMWI2 is not compared: its coefficients use MetaPhlAn 3 names.

Interval: the final model is refitted on 100 bootstrap resamples (with the same C); their
coefficients ship too, and a sample's interval is the 2.5-97.5 percentile of their probabilities.

Run from the repository root (about a minute on 2 cores)::

    python scripts/train_health_model.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _metaml import METAML_DOI, load_metaml, sha256

from gutlens.analysis.indices.gmwi2 import gmwi2_score
from gutlens.taxonomy import canonical_name

OUT = Path("src/gutlens/analysis/data/health_model")
VERSION = "1.0.0"
PSEUDOCOUNT = 1e-5
MIN_PREVALENCE = 0.10
CS = np.logspace(-2.5, 0, 8)
N_BOOTSTRAP = 100
SEED = 20240
GMHI_DOI = "10.1038/s41467-020-18476-8"
DATASET_ORDER = [
    "metahit",
    "Neilsen_genome_assembly",
    "Chatelier_gut_obesity",
    "hmp",
    "hmpii",
    "t2dmeta_long",
    "t2dmeta_short",
]
NEITHER = {"-", "leaness", "n_relative"}


# -- GMHI (comparison only) -------------------------------------------------------------------
def gmhi(frame: pd.DataFrame, mh: list[str], mn: list[str]) -> pd.Series:
    """GMHI per sample from a species x samples table of relative abundances (any scale).

    Rows named ``*unclassified*`` or ``*virus*`` are dropped, samples renormalised to 1, values
    below 1e-5 set to 0; psi = (R / n) * (-sum p ln p) over the set members present (n = 7 for
    MH, 31 for MN, as in the authors' code); GMHI = log10((psi_MH + 1e-5) / (psi_MN + 1e-5)).
    """
    keep = ~frame.index.str.contains("unclassified|virus", case=False)
    x = frame.loc[keep]
    x = x / x.sum(axis=0)
    x = x.where(x >= 1e-5, 0.0)

    def psi(members: list[str], n: int) -> pd.Series:
        block = x.reindex(members).fillna(0.0)
        logs = np.log(block.where(block > 0, 1.0))
        shannon = -(block * logs).sum(axis=0)
        return (block > 0).sum(axis=0) / n * shannon

    return np.log10((psi(mh, 7) + 1e-5) / (psi(mn, 31) + 1e-5))


def check_gmhi(shared: Path) -> tuple[list[str], list[str], list[Path]]:
    folder = shared / "data/reference/gmhi2020_gupta"
    mh = [s.strip() for s in (folder / "MH_species.txt").read_text().split() if s.strip()]
    mn = [s.strip() for s in (folder / "MN_species.txt").read_text().split() if s.strip()]
    demo = pd.read_csv(
        folder / "species_relative_abundances.csv", index_col=0, encoding="utf-8-sig"
    )
    expected = pd.read_csv(folder / "GMHI_output.original.csv", index_col=0)["GMHI"]
    got = gmhi(demo, mh, mn)
    worst = float(np.max(np.abs(got.loc[expected.index].to_numpy() - expected.to_numpy())))
    if worst > 1e-9:
        raise SystemExit(f"GMHI check failed: max difference {worst}")
    print(f"GMHI reproduces the authors' 25 demo values (max difference {worst:.1e})")
    files = [folder / n for n in ("MH_species.txt", "MN_species.txt")]
    files += [folder / "species_relative_abundances.csv", folder / "GMHI_output.original.csv"]
    return mh, mn, files


# -- data ---------------------------------------------------------------------------------------
def select_samples(samples: pd.DataFrame) -> pd.DataFrame:
    """Labelled samples, one per subject."""
    chosen = samples[~samples["disease"].isin(NEITHER)].copy()
    order = {name: i for i, name in enumerate(DATASET_ORDER)}
    chosen["_order"] = chosen["dataset_name"].map(order).fillna(len(order))
    chosen["_pos"] = np.arange(len(chosen))
    chosen = chosen.sort_values(["_order", "_pos"])
    healthy = chosen["is_healthy_control"].astype(bool)
    kept_healthy = chosen[healthy & chosen["healthy_reference_one_per_subject"].astype(bool)]
    ill = chosen[~healthy]
    ill = ill[~ill["subjectID"].isin(kept_healthy["subjectID"])]
    ill = ill.drop_duplicates("subjectID", keep="first")
    result = pd.concat([kept_healthy, ill]).sort_values("_pos")
    return result.drop(columns=["_order", "_pos"])


def features(x: np.ndarray) -> np.ndarray:
    return np.log10(x + PSEUDOCOUNT)


class Fitted:
    """A fitted model with its species filter and standardisation, expressed back on the
    unstandardised log10 scale (``coef``, ``intercept``) so the package needs no scaler."""

    def __init__(self, x: np.ndarray, y: np.ndarray) -> None:
        self.keep = (x > 0).mean(axis=0) >= MIN_PREVALENCE
        self.scaler = StandardScaler().fit(features(x[:, self.keep]))
        self.cv = fit_cv(self.scaler.transform(features(x[:, self.keep])), y)
        self.C = float(self.cv.C_)
        self.coef, self.intercept = self.unscale(self.cv.coef_[0], float(self.cv.intercept_[0]))

    def unscale(self, coef: np.ndarray, intercept: float) -> tuple[np.ndarray, float]:
        scale = np.asarray(self.scaler.scale_)
        mean = np.asarray(self.scaler.mean_)
        return coef / scale, intercept - float(np.sum(coef * mean / scale))

    def predict(self, x: np.ndarray) -> np.ndarray:
        z = self.intercept + features(x[:, self.keep]) @ self.coef
        return 1.0 / (1.0 + np.exp(-z))


def fit_cv(x: np.ndarray, y: np.ndarray) -> LogisticRegressionCV:
    """Inner-CV L1 logistic regression (standardised features)."""
    model = LogisticRegressionCV(
        Cs=CS,
        l1_ratios=(1.0,),
        use_legacy_attributes=False,
        solver="liblinear",
        scoring="roc_auc",
        cv=StratifiedKFold(5, shuffle=True, random_state=SEED),
        class_weight="balanced",
        max_iter=2000,
        random_state=SEED,
    )
    model.fit(x, y)
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    args = parser.parse_args()
    mh, mn, gmhi_files = check_gmhi(args.shared)
    table, samples, metaml_files = load_metaml(args.shared)
    chosen = select_samples(samples)
    species_rows = (table.taxa["rank"] == "species").to_numpy()
    names = table.taxa.loc[species_rows, "name"].astype(str).tolist()
    columns = [table.sample_ids.index(str(s)) for s in chosen.index]
    x_all = table.abundance[species_rows][:, columns].toarray().T  # samples x species
    y = chosen["is_healthy_control"].astype(bool).to_numpy().astype(int)
    studies = chosen["dataset_name"].to_numpy()

    # GMHI on MetaPhlAn 2 names (the taxa's original names, as GMHI's lists use them).
    originals = table.taxa.loc[species_rows, "original_name"].astype(str)
    mpa_names = ["s__" + n.split("; ")[0].replace(" ", "_") for n in originals]
    gmhi_frame = pd.DataFrame(x_all.T, index=pd.Index(mpa_names), columns=chosen.index)
    gmhi_frame = gmhi_frame.groupby(level=0).sum()
    gmhi_scores = gmhi(gmhi_frame, mh, mn).to_numpy()
    # GMWI2 (Chang et al. 2024) by its published rule on every rank, through gutlens' own index
    # module; on MetaPhlAn 2 names only part of its MetaPhlAn 3 features exist (see the README).
    ranks = table.taxa["rank"].astype(str).to_numpy()
    canonical = table.taxa["name"].astype(str).to_numpy()
    matrix = table.abundance.tocsc()
    gmwi2_scores = np.array(
        [gmwi2_score(ranks, canonical, matrix[:, [c]].toarray().ravel())[0] for c in columns]
    )

    folds = []
    oof = np.full(len(y), np.nan)
    for study in sorted(set(studies)):
        test = studies == study
        if len(set(y[test])) < 2:
            continue
        model = Fitted(x_all[~test], y[~test])
        oof[test] = model.predict(x_all[test])
        folds.append(
            {
                "study": str(study),
                "n_healthy": int(y[test].sum()),
                "n_non_healthy": int((1 - y[test]).sum()),
                "auc_model": round(float(roc_auc_score(y[test], oof[test])), 6),
                "auc_gmhi": round(float(roc_auc_score(y[test], gmhi_scores[test])), 6),
                "auc_gmwi2": round(float(roc_auc_score(y[test], gmwi2_scores[test])), 6),
                "penalty_C": model.C,
            }
        )
        print(folds[-1])
    tested = ~np.isnan(oof)
    pooled = float(roc_auc_score(y[tested], oof[tested]))
    pooled_gmhi = float(roc_auc_score(y[tested], gmhi_scores[tested]))
    pooled_gmwi2 = float(roc_auc_score(y[tested], gmwi2_scores[tested]))
    print(f"pooled AUC model {pooled:.4f}, GMHI {pooled_gmhi:.4f}, GMWI2 {pooled_gmwi2:.4f}")

    final = Fitted(x_all, y)
    keep, chosen_c = final.keep, final.C
    kept_names = [canonical_name(n, "species") for n, k in zip(names, keep, strict=True) if k]
    coef = final.coef
    rng = np.random.default_rng(SEED)
    boot_coef, boot_intercept = [], []
    xf = final.scaler.transform(features(x_all[:, keep]))
    for _ in range(N_BOOTSTRAP):
        pick = rng.integers(0, len(y), len(y))
        while len(set(y[pick])) < 2:
            pick = rng.integers(0, len(y), len(y))
        refit = LogisticRegression(
            C=chosen_c,
            l1_ratio=1.0,
            solver="liblinear",
            class_weight="balanced",
            max_iter=2000,
            random_state=SEED,
        )
        refit.fit(xf[pick], y[pick])
        b_coef, b_intercept = final.unscale(refit.coef_[0], float(refit.intercept_[0]))
        boot_coef.append(b_coef)
        boot_intercept.append(b_intercept)
    boot = np.array(boot_coef)
    used = (coef != 0) | (boot != 0).any(axis=0)
    OUT.mkdir(parents=True, exist_ok=True)
    model_json = {
        "name": "gutlens health-status model",
        "version": VERSION,
        "kind": "L1-regularised logistic regression, healthy (1) vs non-healthy (0)",
        "scikit_learn": sklearn.__version__,
        "training_data": {
            "cohort": "MetAML stool (MetaPhlAn 2)",
            "citation": f"doi:{METAML_DOI}",
            "n_healthy": int(y.sum()),
            "n_non_healthy": int((1 - y).sum()),
            "studies": sorted({str(s) for s in studies}),
        },
        "transform": {"log10_pseudocount": PSEUDOCOUNT, "rank": "species"},
        "penalty_C": chosen_c,
        "features": [n for n, u in zip(kept_names, used, strict=True) if u],
        "intercept": final.intercept,
        "coef": np.round(coef[used], 8).tolist(),
        "bootstrap": {
            "n": N_BOOTSTRAP,
            "seed": SEED,
            "intercepts": np.round(boot_intercept, 8).tolist(),
            "coefs": np.round(boot[:, used], 8).tolist(),
        },
        "validation": {
            "scheme": "leave one study out (studies with both classes); penalty chosen by "
            "inner 5-fold CV on the training part",
            "folds": folds,
            "pooled_auc": round(pooled, 6),
            "pooled_auc_gmhi": round(pooled_gmhi, 6),
            "mean_study_auc": round(float(np.mean([f["auc_model"] for f in folds])), 6),
            "mean_study_auc_gmhi": round(float(np.mean([f["auc_gmhi"] for f in folds])), 6),
            "gmhi_citation": f"doi:{GMHI_DOI}",
            "pooled_auc_gmwi2": round(pooled_gmwi2, 6),
            "mean_study_auc_gmwi2": round(float(np.mean([f["auc_gmwi2"] for f in folds])), 6),
            "gmwi2_citation": "doi:10.1038/s41467-024-51651-9",
            "gmwi2_note": "GMWI2 scored on MetaPhlAn 2 names: only its features that exist in "
            "that taxonomy count, so it is weaker here than on the MetaPhlAn 3 profiles it was "
            "trained for",
        },
    }
    (OUT / "model.json").write_text(json.dumps(model_json) + "\n", encoding="utf-8")
    with (OUT / "cv_predictions.tsv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["sample_uid", "study", "healthy", "probability", "gmhi", "gmwi2"])
        rows = zip(chosen.index, studies, y, oof, gmhi_scores, gmwi2_scores, strict=True)
        for sid, study, label, p, g, w in rows:
            if not np.isnan(p):
                writer.writerow([sid, study, int(label), f"{p:.8f}", f"{g:.8f}", f"{w:.8f}"])
    root = args.shared.resolve()
    provenance = {
        "built_by": "scripts/train_health_model.py",
        "version": VERSION,
        "sources": [
            {"path": str(p.resolve().relative_to(root)), "sha256": sha256(p)}
            for p in [*metaml_files, *gmhi_files]
        ],
        "pooled_auc": round(pooled, 6),
        "pooled_auc_gmhi": round(pooled_gmhi, 6),
        "pooled_auc_gmwi2": round(pooled_gmwi2, 6),
        "n_features": int(used.sum()),
    }
    (OUT / "PROVENANCE.json").write_text(json.dumps(provenance, indent=1) + "\n", encoding="utf-8")
    print(f"{int(used.sum())} species in the model; C = {chosen_c:.4g}")


if __name__ == "__main__":
    main()
