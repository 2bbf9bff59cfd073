"""Input that is not a profile at all: each gets one clear error naming the file."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from gutlens.errors import GutlensError, ProfileFormatError, UnknownFormatError
from gutlens.io import read_profiles


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileFormatError, match=r"nothere\.txt: file not found"):
        read_profiles(tmp_path / "nothere.txt")


def test_folder(tmp_path: Path) -> None:
    with pytest.raises(ProfileFormatError, match="is a folder"):
        read_profiles(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.tsv"
    path.write_bytes(b"")
    with pytest.raises(UnknownFormatError, match=r"empty.tsv: file is empty"):
        read_profiles(path)


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.bin"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(UnknownFormatError, match=r"garbage.bin: unrecognised format: found binary"):
        read_profiles(path)


def test_unknown_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Dear diary,\ntoday I ate fibre.\n")
    with pytest.raises(UnknownFormatError, match=r"text starting 'Dear diary,'"):
        read_profiles(path)


def test_unknown_format_name(inputs: Path) -> None:
    with pytest.raises(UnknownFormatError, match="unknown format 'nope'; known formats: "):
        read_profiles(inputs / "metaphlan2/SRS014459-Stool_profile.txt", format="nope")


def test_truncated_gzip(inputs: Path, tmp_path: Path) -> None:
    data = gzip.compress((inputs / "metaphlan2/SRS014459-Stool_profile.txt").read_bytes())
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ProfileFormatError, match=r"cut.txt.gz.*(truncated|corrupt)"):
        read_profiles(path, format="metaphlan")


def test_gzipped_profile_reads_like_plain(inputs: Path, tmp_path: Path) -> None:
    source = inputs / "metaphlan2/SRS014459-Stool_profile.txt"
    path = tmp_path / "SRS014459-Stool_profile.txt.gz"
    path.write_bytes(gzip.compress(source.read_bytes()))
    plain = read_profiles(source).profile().at_rank("genus")
    packed = read_profiles(path).profile().at_rank("genus")
    assert plain.to_dict() == packed.to_dict()


def test_nested_zip_refused(tmp_path: Path) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.txt", "x")
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.write(inner, "inner.zip")
    with pytest.raises(ProfileFormatError, match="nests another archive"):
        read_profiles(outer)


def test_zip_bomb_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"\0" * (40 * 1024 * 1024))
    with pytest.raises(ProfileFormatError, match="zip bomb"):
        read_profiles(path)


def test_every_error_is_a_gutlens_error() -> None:
    assert issubclass(UnknownFormatError, GutlensError)
    assert issubclass(ProfileFormatError, ValueError)
