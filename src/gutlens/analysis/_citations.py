"""Citations for the metrics in :mod:`gutlens.analysis`, held as data.

Every DOI here was checked against a published record (see the project report); where no DOI
could be verified the entry names the work without one.
"""

from __future__ import annotations

__all__ = ["CITATIONS"]

#: key -> citation string ("doi:..." or a bibliographic reference when no DOI was verified).
CITATIONS: dict[str, str] = {
    "shannon": "doi:10.1002/j.1538-7305.1948.tb01338.x",  # Shannon 1948, Bell Syst Tech J
    "simpson": "doi:10.1038/163688a0",  # Simpson 1949, Nature 163:688
    "pielou": "doi:10.1016/0022-5193(66)90013-0",  # Pielou 1966, J Theor Biol 13:131
    # Chao 1984, Scand J Stat 11:265-270 (JSTOR; no DOI verified)
    "chao1": "Chao A (1984) Scand J Stat 11:265-270",
    "ace": "doi:10.1080/01621459.1992.10475194",  # Chao & Lee 1992, JASA 87:210
    "bray_curtis": "doi:10.2307/1942268",  # Bray & Curtis 1957, Ecol Monogr 27:325
    # Aitchison's log-ratio geometry; no DOI verified for the 1982/1986 works
    "aitchison": (
        "Aitchison J (1986) The Statistical Analysis of Compositional Data, Chapman & Hall"
    ),
    "gower_add_point": "doi:10.1093/biomet/55.3.582",  # Gower 1968, Biometrika 55:582
    "dysbiosis": "doi:10.1038/s41586-019-1237-9",  # Lloyd-Price et al. 2019, Nature 569:655
    "gmhi": "doi:10.1038/s41467-020-18476-8",  # Gupta et al. 2020, Nat Commun 11:4635
    "gmwi2": "doi:10.1038/s41467-024-51651-9",  # Chang et al. 2024, Nat Commun
    "metaml": "doi:10.1371/journal.pcbi.1004977",  # Pasolli et al. 2016, PLoS Comput Biol
}
