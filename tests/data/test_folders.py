"""Every folder the product writes is all or nothing: the old folder or the new one,
never a mix, whatever fails (a crash between two renames, a full disk, a folder that
cannot be written), and the user's own files next to ours survive."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planner import services
from planner.cli import app
from planner.data import folders
from planner.data import write as dataset_writer
from planner.data.folders import check_writable, write_folder
from planner.data.plan_files import write_plan
from planner.data.schema import TABLES
from planner.domain.records import Dataset
from tests.data.test_exports import tiny_plan

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def contents(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def old_plan_folder(tmp_path: Path) -> Path:
    out = tmp_path / "plan"
    out.mkdir()
    for name in ("plan.csv", "uncovered.csv", "summary.json"):
        (out / name).write_text(f"old {name}\n", encoding="utf-8")
    return out


def test_a_failure_while_filling_leaves_the_old_folder_and_no_staging(tmp_path):
    out = old_plan_folder(tmp_path)
    before = contents(out)

    def fill(folder: Path) -> None:
        (folder / "plan.csv").write_text("new\n", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_folder(out, fill)
    assert contents(out) == before
    assert leftovers(tmp_path) == []


def test_a_crash_between_renames_cannot_mix_old_and_new_plan_files(tmp_path, monkeypatch):
    """The old writer replaced the three files one by one; a crash after the first left
    a new plan.csv beside an old summary.json. Now one exchange puts all three."""
    out = old_plan_folder(tmp_path)
    calls = []

    def crash_on_second(real):
        def rename(*args, **kwargs):
            calls.append(args)
            if len(calls) == 2:
                raise KeyboardInterrupt("killed")
            return real(*args, **kwargs)

        return rename

    monkeypatch.setattr(os, "replace", crash_on_second(os.replace))
    monkeypatch.setattr(os, "rename", crash_on_second(os.rename))
    with contextlib.suppress(KeyboardInterrupt):
        write_plan(tiny_plan(), out)
    after = contents(out)
    old = [name for name, data in after.items() if data.startswith(b"old")]
    assert old in ([], ["plan.csv", "summary.json", "uncovered.csv"]), after


def test_writing_over_a_folder_keeps_the_users_files_and_drops_stale_owned_ones(tmp_path):
    out = tmp_path / "export"
    out.mkdir()
    (out / "notes.txt").write_text("мои заметки\n", encoding="utf-8")
    (out / "archive").mkdir()
    (out / "archive" / "old.csv").write_text("a\n", encoding="utf-8")
    (out / "calendar.csv").write_text("stale calendar of an earlier export\n", encoding="utf-8")
    inode = (out / "notes.txt").stat().st_ino

    dataset_writer.write_dataset(Dataset(), out)

    assert (out / "notes.txt").read_text(encoding="utf-8") == "мои заметки\n"
    assert (out / "notes.txt").stat().st_ino == inode  # linked, not copied
    assert (out / "archive" / "old.csv").read_text(encoding="utf-8") == "a\n"
    assert not (out / "calendar.csv").exists()
    required = {spec.filename for spec in TABLES if not spec.optional}
    assert required <= {p.name for p in out.iterdir()}
    assert leftovers(tmp_path) == []


def test_export_on_a_full_disk_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    out = tmp_path / "export"
    dataset_writer.write_dataset(services.load_dataset(DEMO), out)
    before = contents(out)
    real = dataset_writer.write_people_csv
    written = []

    def full_disk(path, header, rows):
        written.append(path)
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, header, rows)

    monkeypatch.setattr(dataset_writer, "write_people_csv", full_disk)
    with pytest.raises(OSError, match="No space"):
        dataset_writer.write_dataset(Dataset(), out)
    assert contents(out) == before
    assert leftovers(tmp_path) == []


def test_the_one_step_exchange_is_used_where_the_system_has_it(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a", encoding="utf-8")
    (b / "x").write_text("b", encoding="utf-8")
    if not folders._renameat2_exchange(a, b):
        pytest.skip("this file system has no RENAME_EXCHANGE")
    assert (a / "x").read_text(encoding="utf-8") == "b"
    assert (b / "x").read_text(encoding="utf-8") == "a"


def test_a_folder_that_cannot_be_written_is_named_before_any_work(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert "is a file" in check_writable(tmp_path / "afile")
    assert "is a file" in check_writable(tmp_path / "afile" / "out")
    assert check_writable(tmp_path / "new" / "deeper") is None
    assert not (tmp_path / "new").exists()
    assert leftovers(tmp_path) == []
    if Path("/proc/self").is_dir():
        assert "cannot write" in check_writable("/proc/cover-planner-out")


@pytest.mark.parametrize(
    "command",
    [
        ["plan", str(DEMO), "--start", "2027-01-11", "--weeks", "2"],
        ["rota", str(DEMO), "--start", "2027-01-11", "--weeks", "1"],
        ["simulate", str(DEMO), "--start", "2027-01-11", "--weeks", "2", "--runs", "2"],
    ],
    ids=["plan", "rota", "simulate"],
)
def test_the_cli_refuses_an_unwritable_out_before_solving(tmp_path, monkeypatch, command):
    def no_solving(**kwargs):
        raise AssertionError("solved before checking --out")

    for name in ("plan_cover", "plan_rota", "simulate_turnover"):
        monkeypatch.setattr(services, name, no_solving)
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, [*command, "--out", str(tmp_path / "afile" / "out")])
    assert result.exit_code == 2, result.output
    assert "--out:" in result.output
    assert "is a file" in result.output


def test_a_written_folder_is_as_readable_as_one_the_user_made(tmp_path):
    """Staging with mkdtemp gave the user an owner-only (0700) plan folder."""
    new = write_plan(tiny_plan(), tmp_path / "new")
    expected = 0o777 & ~_umask()
    assert new.stat().st_mode & 0o777 == expected
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o775)
    write_plan(tiny_plan(), shared)
    assert shared.stat().st_mode & 0o777 == 0o775


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
