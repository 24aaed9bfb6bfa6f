"""Writing a folder of files all or nothing: everything is written into a new folder beside
the target, then the target is swapped for it by renames, so a crash, a full disk or a
killed process leaves either the old folder or the new one, never a mix."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def write_folder(out: Path | str, fill: Callable[[Path], None]) -> Path:
    """Call `fill(staging)` to write the files, then put the staging folder at `out`.

    An existing `out` is replaced as a whole (its old files are gone afterwards); on any
    failure before the swap `out` is left exactly as it was.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new.", dir=out.parent))
    old: Path | None = None
    try:
        fill(staging)
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            old.rmdir()
            out.rename(old)
        staging.rename(out)
    except BaseException:
        if old is not None and not out.exists():
            old.rename(out)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
    return out
