"""Icons are decoration: a screen reader reads the words next to them (or the button's aria-label), never the
icon font's glyph, so every Bootstrap icon in the templates is hidden from it."""

import re
from pathlib import Path

from django.conf import settings

ICON = re.compile(r"<i\b[^>]*\bclass=\"bi\b[^>]*>")


def test_every_icon_is_hidden_from_screen_readers():
    templates = Path(settings.BASE_DIR, "templates")
    icons = [(path, tag) for path in templates.rglob("*.html") for tag in ICON.findall(path.read_text())]
    assert len(icons) > 50  # the pattern finds the portal's icons
    unhidden = [f"{path.relative_to(templates)}: {tag}" for path, tag in icons if 'aria-hidden="true"' not in tag]
    assert unhidden == []
