"""PDF from the report's HTML via headless Chromium (page numbers and headers come from the
HTML's CSS ``@page`` margin boxes)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from gutlens.errors import GutlensError

__all__ = ["ChromiumNotFoundError", "PdfRenderError", "find_chromium", "render_pdf"]

_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: Flags that keep Chromium offline, quiet and free of profile state.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


class ChromiumNotFoundError(GutlensError):
    """No Chromium/Chrome binary to print the PDF with."""


class PdfRenderError(GutlensError):
    """Chromium ran but did not produce the PDF."""


def find_chromium() -> str:
    """Path of a Chromium or Chrome binary (``GUTLENS_CHROMIUM`` overrides the search).

    Raises
    ------
    ChromiumNotFoundError
    """
    override = os.environ.get("GUTLENS_CHROMIUM")
    if override:
        if Path(override).is_file():
            return override
        msg = f"GUTLENS_CHROMIUM={override} does not exist"
        raise ChromiumNotFoundError(msg)
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    msg = (
        "PDF output needs Chromium, which was not found on PATH; install it "
        "(Debian/Ubuntu: apt-get install chromium) or set GUTLENS_CHROMIUM, "
        "or write .html and print that"
    )
    raise ChromiumNotFoundError(msg)


def render_pdf(html: str, out: str | Path, *, timeout: float = 120) -> Path:
    """Print ``html`` (a complete document) to the PDF file ``out``."""
    binary = find_chromium()
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="gutlens-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        command = [
            binary,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={target}",
            "--no-pdf-header-footer",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as err:
            msg = f"Chromium did not finish printing {out.name} within {timeout:.0f} s"
            raise PdfRenderError(msg) from err
        if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
            tail = (done.stderr or "").strip().splitlines()[-3:]
            msg = (
                f"Chromium could not print {out.name} (exit {done.returncode}): {' | '.join(tail)}"
            )
            raise PdfRenderError(msg)
        shutil.move(str(target), out)
    return out
