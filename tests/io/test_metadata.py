"""Sample metadata files: QIIME 2 TSV with #q2:types, QIIME 1 mapping files, plain CSV."""

from __future__ import annotations

from pathlib import Path

import pytest

from gutlens.errors import ProfileFormatError
from gutlens.io import read_profiles
from gutlens.io.metadata import read_sample_metadata, with_sample_metadata

CRC = "qiime2/crc_baxter_zackular_zeller"


def test_qiime2_metadata_with_types_row(inputs: Path) -> None:
    frame = read_sample_metadata(inputs / "qiime2/moving_pictures/sample-metadata.tsv")
    assert frame.shape == (34, 8)
    assert frame.loc["L1S8", "body-site"] == "gut"
    assert frame.loc["L1S8", "days-since-experiment-start"] == 0
    assert frame["year"].dtype.kind == "i"  # declared numeric
    assert (frame["body-site"] == "gut").sum() == 8


def test_csv_metadata_joined_to_the_crc_table(inputs: Path) -> None:
    frame = read_sample_metadata(inputs / CRC / "metadata.csv")
    assert frame.shape == (708, 12)
    assert frame.loc["Adenoma1-2065", "Gender"] == "m"  # "m  " in the file
    assert frame.loc["Adenoma1-2065", "Age"] == 76
    table = read_profiles(inputs / CRC / "table.qza", taxonomy=inputs / CRC / "taxonomy.qza")
    joined = with_sample_metadata(table, frame)
    profile = joined.profile("Adenoma1-2065")
    assert profile.metadata["Diagnosis"] == "Adenoma"
    # the table's read count equals the study's own Reads_after_QC column
    assert profile.total_count == profile.metadata["Reads_after_QC"] == 107_534


def test_qiime1_mapping_file(inputs: Path) -> None:
    frame = read_sample_metadata(inputs / "biom/hdf5/PGP_100nt_even1k_mapping.txt")
    assert len(frame) == 435
    assert frame.loc["Willowbe.Stool", "body_site"] == "UBERON:feces"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("sample-id\tage\nS1\t3\nS1\t4\n", r"line 3: sample id 'S1' appears twice"),
        (
            "sample-id\tage\n#q2:types\tnumeric\nS1\t3\nS2\told\n",
            r"line 4: column 'age' is declared numeric by #q2:types but holds 'old'",
        ),
        ("", r"metadata file is empty"),
    ],
)
def test_bad_metadata(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "meta.tsv"
    path.write_text(text)
    with pytest.raises(ProfileFormatError, match=message):
        read_sample_metadata(path)
