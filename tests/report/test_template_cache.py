"""Compiled report templates are cached per user; the cache never changes or breaks a report."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gutlens.report import Report, render_html
from gutlens.report._cache import cache_dir, template_cache
from gutlens.report.html import _environment


@pytest.fixture
def fresh_environment() -> Iterator[None]:
    _environment.cache_clear()
    yield
    _environment.cache_clear()


def test_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUTLENS_CACHE_DIR", "")
    assert cache_dir() is None
    assert template_cache() is None
    monkeypatch.delenv("GUTLENS_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", "/somewhere/cache")
    assert cache_dir() == Path("/somewhere/cache/gutlens")


def test_second_process_uses_the_compiled_template(
    bare_report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_environment: None
) -> None:
    monkeypatch.setenv("GUTLENS_CACHE_DIR", str(tmp_path))
    first = render_html(bare_report)
    entries = list(tmp_path.rglob("*.cache"))
    assert len(entries) == 1 and entries[0].stat().st_size > 1000
    _environment.cache_clear()  # as in a new process: the code comes from the cache file
    env = _environment()
    assert env.bytecode_cache is not None
    bucket = env.bytecode_cache.get_bucket(
        env,
        "report.html.j2",
        env.loader.get_source(env, "report.html.j2")[1],  # type: ignore[union-attr]
        env.loader.get_source(env, "report.html.j2")[0],  # type: ignore[union-attr]
    )
    assert bucket.code is not None
    assert render_html(bare_report) == first
    monkeypatch.setenv("GUTLENS_CACHE_DIR", "")
    _environment.cache_clear()
    assert render_html(bare_report) == first  # and without any cache


def test_failing_cache_write_is_no_error(
    bare_report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_environment: None
) -> None:
    import jinja2

    def full_disk(self: object, bucket: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", full_disk)
    monkeypatch.setenv("GUTLENS_CACHE_DIR", str(tmp_path))
    assert "<html" in render_html(bare_report)
    assert list(tmp_path.rglob("*.cache")) == []


def test_unwritable_cache_file_is_no_error(
    bare_report: Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_environment: None
) -> None:
    # a file where the cache folder should be: the folder cannot be made, so no caching
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GUTLENS_CACHE_DIR", str(blocker))
    assert template_cache() is None
    assert "<html" in render_html(bare_report)
