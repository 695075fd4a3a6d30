"""Every table that may scroll sideways (a ``.table-responsive`` wrapper) is a focusable region named by a heading
(axe ``scrollable-region-focusable``: on a phone the keyboard must reach it). One pattern, docs/rules.md:
``<div class="table-responsive" tabindex="0" role="region" aria-labelledby="…">``."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"
WRAPPER = re.compile(r"<div\b[^>]*\btable-responsive\b[^>]*>", re.S)
PATTERN = re.compile(r'^<div class="table-responsive" tabindex="0" role="region" aria-labelledby="(?P<label>[^"]+)">$')
#: The page's h1 (templates/layouts/page.html), the name of a page that is one table.
PAGE_HEADING = "page-heading"


def wrappers():
    for path in sorted(TEMPLATES.rglob("*.html")):
        for tag in WRAPPER.findall(path.read_text(encoding="utf-8")):
            yield path.relative_to(TEMPLATES), tag


def test_the_templates_have_tables_that_scroll():
    assert len(list(wrappers())) >= 16


@pytest.mark.parametrize(("template", "tag"), list(wrappers()), ids=lambda value: str(value)[:60])
def test_every_scrolling_table_is_a_named_focusable_region(template, tag):
    match = PATTERN.match(tag)
    assert match, f"{template}: {tag} — write it as in docs/rules.md («Таблицы, которые прокручиваются»)"
    label = match["label"]
    source = (TEMPLATES / template).read_text(encoding="utf-8")
    if "{{" in label:  # a partial told by its includer which heading names it, the page's h1 by default
        assert f"default:'{PAGE_HEADING}'" in label, f"{template}: {label}"
    elif label != PAGE_HEADING:
        assert source.count(f'id="{label}"') == 1, f"{template}: no single element with id={label!r}"
    else:
        assert (TEMPLATES / "layouts/page.html").read_text(encoding="utf-8").count(f'id="{PAGE_HEADING}"') == 1


class Regions(HTMLParser):
    """The ids of the rendered page with their text, and the regions' aria-labelledby."""

    def __init__(self):
        super().__init__()
        self.ids, self.regions, self.open = {}, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "table-responsive" in (attrs.get("class") or "").split():
            self.regions.append(attrs)
        if tag in {"br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"}:
            return
        if "id" in attrs:
            assert attrs["id"] not in self.ids, f"duplicate id {attrs['id']}"
            self.ids[attrs["id"]] = ""
        self.open.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        while self.open:
            name, _ = self.open.pop()
            if name == tag:
                break

    def handle_data(self, data):
        for _, element_id in self.open:
            if element_id:
                self.ids[element_id] += data


def named_regions(html):
    parser = Regions()
    parser.feed(html)
    names = []
    for region in parser.regions:
        assert region.get("tabindex") == "0" and region.get("role") == "region", region
        label = region.get("aria-labelledby")
        assert label in parser.ids, f"aria-labelledby={label!r} names nothing on the page"
        names.append(" ".join(parser.ids[label].split()))
    return names


@pytest.mark.django_db
def test_the_rendered_pages_name_their_tables(client, community, leader, member, signed_protocol, methodist):
    client.force_login(leader.user)
    pages = {
        reverse("communities:detail", args=[community.pk]): ["История назначений", "Члены ПОС (2)", "Протоколы"],
        reverse("communities:history", args=[community.pk]): ["История изменений"],
        reverse("meetings:community_assignments", args=[community.pk]): ["Поручения"],
    }
    client.force_login(methodist)
    pages_of_methodist = {
        reverse("communities:list"): ["Профессиональные обучающиеся сообщества"],
        reverse("communities:teachers"): ["Педагоги района"],
        reverse("reports:dashboard"): ["Сводка по сообществам района"],
        reverse("reports:annual_report_list"): ["Отчёты ПОС за"],
    }
    client.force_login(leader.user)
    for url, expected in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        names = named_regions(response.content.decode())
        assert len(names) == len(expected), (url, names)
        for name, start in zip(names, expected, strict=True):
            assert name.startswith(start), (url, names)
    client.force_login(methodist)
    for url, expected in pages_of_methodist.items():
        response = client.get(url)
        assert response.status_code == 200, url
        names = named_regions(response.content.decode())
        assert [name[: len(start)] for name, start in zip(names, expected, strict=True)] == expected, (url, names)
