"""The gutlens data model: one sample (:class:`Profile`) and many (:class:`ProfileTable`).

No I/O happens here; readers in :mod:`gutlens.io` build these objects.
"""

from gutlens.model._profile import (
    TAXA_COLUMNS,
    Profile,
    ProfileTable,
    SampleRecord,
    sample_record,
)
from gutlens.model._source import Provenance, SourceInfo, file_sha256

__all__ = [
    "TAXA_COLUMNS",
    "Profile",
    "ProfileTable",
    "Provenance",
    "SampleRecord",
    "SourceInfo",
    "file_sha256",
    "sample_record",
]
