"""The ``gutlens`` process starts light: heavy libraries load only for the command that runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
HEAVY = ("pandas", "scipy", "numpy", "sklearn", "skbio", "biom", "h5py", "jinja2", "pydantic")


def _python(code: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_cli_start_imports_no_heavy_library() -> None:
    """Discovering every command (what ``gutlens --help`` does) imports none of them."""
    code = (
        "import sys, json, gutlens\n"
        "from gutlens.cli._app import _load_commands\n"
        "_load_commands()\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    assert json.loads(_python(code)) == []


def test_top_level_names_still_resolve() -> None:
    code = (
        "import json, gutlens\n"
        "import gutlens.interpret\n"  # the subpackage import must not replace the function
        "print(json.dumps({n: type(getattr(gutlens, n)).__name__ for n in gutlens.__all__}))\n"
    )
    kinds = json.loads(_python(code))
    assert kinds == {
        "GutlensError": "type",
        "Interpretation": "ModelMetaclass",  # pydantic models
        "Profile": "type",
        "ProfileFormatError": "type",
        "ProfileTable": "type",
        "Results": "ModelMetaclass",
        "__version__": "str",
        "analyze": "function",
        "interpret": "function",
        "list_formats": "function",
        "read_profile": "function",
        "read_profiles": "function",
    }


def test_console_entry_point_exit_status(tmp_path: Path) -> None:
    """``python -m gutlens`` (``main()``: GC tuning, heap frozen before exit) returns statuses."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    ok = subprocess.run(
        [sys.executable, "-m", "gutlens", "formats"], env=env, capture_output=True, text=True
    )
    assert ok.returncode == 0
    assert "metaphlan" in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "gutlens", "report", str(tmp_path / "none.txt"), "-o", "x.html"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "none.txt" in bad.stderr
