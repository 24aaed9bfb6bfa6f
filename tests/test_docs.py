"""The data contract ships with the project, and stays the vendor's shared one."""

from __future__ import annotations

import re

import pytest

from tests.builders import REPO_ROOT

CONTRACT = REPO_ROOT / "docs" / "DATA_FORMAT.md"
SHARED = REPO_ROOT.parent / "shared" / "DATA_FORMAT.md"


def test_the_contract_is_in_docs():
    assert CONTRACT.is_file()
    assert "A dataset" in CONTRACT.read_text(encoding="utf-8")


@pytest.mark.skipif(
    not SHARED.is_file(), reason="no ../shared/DATA_FORMAT.md beside the repository"
)
def test_the_contract_in_docs_is_the_shared_one():
    assert CONTRACT.read_text(encoding="utf-8") == SHARED.read_text(encoding="utf-8"), (
        f"{CONTRACT} differs from {SHARED}: copy the newer one over the other"
    )


def test_nothing_points_to_the_contract_outside_the_repository():
    """A clone has no ../shared/: the README, the guide and the code cite docs/."""
    texts = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "planner").rglob("*.py"))]
    citing = [
        path.relative_to(REPO_ROOT).as_posix()
        for path in texts
        if re.search(r"\.\./shared/DATA_FORMAT\.md", path.read_text(encoding="utf-8"))
    ]
    assert citing == []
