"""Writing a folder of files all or nothing.

Everything is written into a new folder beside the target, then the two folders change
places in one step (Linux `renameat2(RENAME_EXCHANGE)`; two renames where the system has
no such call), so a crash, a full disk or a killed process leaves either the old folder or
the new one, never a mix of both. Files in the target that the writer does not write (a
dataset the plan was written next to, a note of the user's) are kept: they are hard-linked
into the new folder before the exchange, so they are never copied or at risk.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def write_folder(out: Path | str, fill: Callable[[Path], None], owns: Collection[str] = ()) -> Path:
    """Call `fill(staging)` to write the files, then put the staging folder at `out`.

    What `fill` writes replaces the entries of the same name in `out`, and the entries
    named in `owns` that it did not write this time are dropped (an optional file of an
    earlier run must not outlive it); on any failure before the exchange `out` is left
    exactly as it was.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = _new_folder(out, "new")
    try:
        fill(staging)
        if not out.exists():
            staging.rename(out)
            return out
        if not out.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(out))
        _keep_others(out, staging, set(owns))
        _exchange(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    return out


def check_writable(out: Path | str) -> str | None:
    """Why `out` cannot take a written folder, or None: checked before a long solve, so
    a read-only or missing place fails at once instead of after it. Creates nothing that
    stays behind."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        return f"{out} is a file, not a folder"
    parent = out.parent
    while not parent.exists():
        if parent == parent.parent:
            break
        parent = parent.parent
    if not parent.is_dir():
        return f"{parent} is a file, not a folder"
    try:
        probe = Path(tempfile.mkdtemp(prefix=f".{out.name}.probe.", dir=parent))
    except OSError as error:
        return f"cannot write in {parent}: {error.strerror or error}"
    try:
        (probe / "probe").write_bytes(b"0" * 4096)
    except OSError as error:
        return f"cannot write in {parent}: {error.strerror or error}"
    finally:
        shutil.rmtree(probe, ignore_errors=True)
    return None


def _new_folder(out: Path, kind: str) -> Path:
    """A hidden folder beside `out` with the permissions `out` has (or, for a new one, what
    the user's umask gives), not `mkdtemp`'s owner-only 0700: the folder the user gets
    must be as readable as one they made themselves."""
    while True:
        path = out.parent / f".{out.name}.{kind}.{secrets.token_hex(6)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        if out.is_dir():
            path.chmod(out.stat().st_mode & 0o7777)
        return path


def _keep_others(out: Path, staging: Path, owned: set[str]) -> None:
    """Hard-link the entries of `out` that are not the writer's into `staging` (a copy
    where the file system has no hard links)."""
    for entry in out.iterdir():
        target = staging / entry.name
        if entry.name in owned or target.exists() or target.is_symlink():
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, target)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _exchange(new: Path, out: Path) -> None:
    """Swap the two folders: `out` gets the new files, `new` the old ones."""
    if _renameat2_exchange(new, out):
        return
    old = _new_folder(out, "old")
    old.rmdir()
    out.rename(old)
    try:
        new.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """One atomic swap of two paths, where the C library and file system offer it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    call.restype = ctypes.c_int
    if call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))
