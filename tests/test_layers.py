"""The layers hold in templates too (import-linter checks the Python imports, pyproject.toml): a page's template
loads template tags only from its own app or an app below it, never from one above it."""

import re
from pathlib import Path

from django.conf import settings
from django.template import engines

LAYERS = ["communities", "meetings", "reports", "notifications", "demo"]  # bottom to top
LOAD = re.compile(r"{%\s*load\s+([^%]+?)\s*%}")


def test_no_template_loads_tags_of_an_app_above_its_own():
    libraries = engines["django"].engine.libraries  # name -> module, e.g. "options" -> communities.templatetags...
    templates = Path(settings.BASE_DIR) / "templates"
    wrong = []
    for app in LAYERS:
        above = LAYERS[LAYERS.index(app) + 1 :]
        for template in (templates / app).rglob("*.html"):
            for names in LOAD.findall(template.read_text(encoding="utf-8")):
                for name in names.split():
                    if libraries.get(name, "").split(".")[0] in above:
                        wrong.append(f"{template.relative_to(templates)}: {{% load {name} %}}")
    assert wrong == []
