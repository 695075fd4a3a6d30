"""The documentation a newcomer reads first: README.md stays one page, and README.md and docs/*.md never point at a
file that is not there (a relative link, an image, or a path of the repository written in `backticks`)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 150

# [text](target) and ![alt](target); the target ends at the first space or ")" (no titles are used).
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
# `communities/access.py`, `templates/reports/dashboard.html`: a path under a folder of the repository, with a suffix.
TOP_FOLDERS = "|".join(
    sorted(path.name for path in ROOT.iterdir() if path.is_dir() and not path.name.startswith((".", "__")))
)
REPO_PATH = re.compile(rf"`((?:{TOP_FOLDERS})/[\w./-]*\.(?:py|md|html|css|toml|txt|png|js))`")
# Template and static file names are written as Django finds them: `reports/pdf/base.html`, `css/pdf/base.css`.
LOOKUP_FOLDERS = (ROOT, ROOT / "templates", ROOT / "static")


def relative_links(text: str) -> list[str]:
    targets = []
    for target in LINK.findall(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # https:, mailto:, an anchor in the same page
        targets.append(target.split("#", 1)[0])
    return targets


def test_the_link_pattern_finds_links_and_images_and_skips_addresses():
    text = "[a](docs/rules.md#status) ![b](docs/screenshots/x.png) [c](https://example.org/) [d](#top)"
    assert relative_links(text) == ["docs/rules.md", "docs/screenshots/x.png"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_points_to_an_existing_file(doc):
    text = doc.read_text(encoding="utf-8")
    missing = [target for target in relative_links(text) if not (doc.parent / target).exists()]
    assert missing == []


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_path_of_the_repository_it_names_exists(doc):
    text = doc.read_text(encoding="utf-8")
    missing = [
        path for path in REPO_PATH.findall(text) if not any((folder / path).exists() for folder in LOOKUP_FOLDERS)
    ]
    assert missing == []


def test_the_readme_fits_on_one_page():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES
