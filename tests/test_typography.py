"""Russian typography of printed documents (pos_portal.typography): no-break spaces, names in quotes, the filter."""

import pytest
from django.template import Context, Template

from pos_portal.typography import NBSP, as_name, nested, quoted, typeset, typeset_html

S = NBSP


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("О.В. Смирнова", f"О.В.{S}Смирнова"),
        ("Смирнова О.В.", f"Смирнова{S}О.В."),
        ("О. В. Смирнова", f"О.{S}В.{S}Смирнова"),
        ("Смирнова О. В.", f"Смирнова{S}О.{S}В."),
        ("Константинопольская-Преображенская Н.С.", f"Константинопольская-Преображенская{S}Н.С."),
        ("Ёлкина Е.А., Белова Н.С.", f"Ёлкина{S}Е.А., Белова{S}Н.С."),
        ("учитель, О.В. Смирнова; методист, Н.С. Белова", f"учитель, О.В.{S}Смирнова; методист, Н.С.{S}Белова"),
        ("МОУ СШ № 1", f"МОУ СШ №{S}1"),
        ("протокол №  7", f"протокол №{S}7"),
        ("§ 3", f"§{S}3"),
        ("согласно п. 4.2 положения", f"согласно п.{S}4.2 положения"),
        ("пп. 1–3", f"пп.{S}1–3"),
        ("ст. 12", f"ст.{S}12"),
        ("г. Тутаев", f"г.{S}Тутаев"),
        ("каб. 21", f"каб.{S}21"),
        ("за 15 мин урока", f"за 15{S}мин урока"),
        ("в 2026 г. и", f"в 2026{S}г. и"),
        ("на 12 %", f"на 12{S}%"),
        ("в 5 классе", f"в 5{S}классе"),
        ("15 октября 2024 г.", f"15{S}октября 2024{S}г."),
        ("опыт — итог", f"опыт{S}— итог"),
        ("Смирнова О.В. – рассказала", f"Смирнова{S}О.В.{S}– рассказала"),
        ("срок – 20.12.2024.", f"срок{S}– 20.12.2024."),
    ],
)
def test_typeset_keeps_together_what_a_typist_keeps_together(text, expected):
    assert typeset(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Принять к сведению.",
        "РЕШИЛИ (ПОСТАНОВИЛИ):",
        "ПОС учителей математики",
        "5–9 классы",  # no space to replace
        "пример-тире",
        "– начало строки списка",  # a dash opening a paragraph has nothing before it to keep
        "в парке и в саду",  # short words are not glued (not asked for)
        "2024 годовой",  # «год» only as a word of its own
    ],
)
def test_typeset_leaves_alone_what_needs_no_care(text):
    assert typeset(text) == text


def test_typeset_only_replaces_spaces():
    text = "Смирнова О.В. – в 2024 г. по п. 4.2 за 15 мин, № 1, г. Тутаев."
    assert typeset(text).replace(NBSP, " ") == text


def test_typeset_is_idempotent():
    text = "Смирнова О.В. – в 2024 г. по п. 4.2 за 15 мин, № 1"
    assert typeset(typeset(text)) == typeset(text)


def test_typeset_html_never_touches_a_tag():
    html = 'Смирнова О.В.<br class="a b">№ 1 <span title="№ 1">п. 2</span>'
    assert typeset_html(html) == f'Смирнова{S}О.В.<br class="a b">№{S}1 <span title="№ 1">п.{S}2</span>'


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Радуга", "«Радуга»"),
        ("«Радуга»", "«Радуга»"),
        ('"Радуга"', "«Радуга»"),
        ("  Математическая   вертикаль ", "«Математическая вертикаль»"),
        ("Детский сад №34 «Радуга»", "«Детский сад №34 „Радуга“»"),
        ('Детский сад "Радуга"', "«Детский сад „Радуга“»"),
        ("МОУ «Лицей № 1» и «Школа № 3»", "«МОУ „Лицей № 1“ и „Школа № 3“»"),
        ("«Школа «Радуга»»", "«Школа „Радуга“»"),
        ("«Лицей» и «Школа»", "«„Лицей“ и „Школа“»"),  # not one pair: kept inside
        ("", ""),
    ],
)
def test_quoted_puts_a_name_in_yolochki_with_lapki_inside(name, expected):
    assert quoted(name) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("МДОУ «Детский сад № 12 «Солнышко»»", "МДОУ «Детский сад № 12 „Солнышко“»"),
        ('"Школа "Радуга""', "«Школа „Радуга“»"),
        ("«Наставничество» МОУ «Лицей № 1»", "«Наставничество» МОУ «Лицей № 1»"),
        ("без кавычек", "без кавычек"),
    ],
)
def test_nested_quotes_are_yolochki_outside_and_lapki_inside(text, expected):
    assert nested(text) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("учителей математики", "учителей математики"),
        ("«Наставничество» МОУ «Лицей № 1»", "«Наставничество» МОУ «Лицей № 1»"),  # not wrapped again
        ("«Школа «Радуга»»", "«Школа „Радуга“»"),
        ("Математическая вертикаль", "«Математическая вертикаль»"),
        ("", ""),
    ],
)
def test_as_name_quotes_a_proper_name_once(name, expected):
    assert as_name(name) == expected


def render(source: str, **context) -> str:
    return Template("{% load typography %}" + source).render(Context(context))


def test_the_filter_escapes_user_text_and_adds_no_break_spaces():
    assert render("{{ v|typeset }}", v="<b>Смирнова О.В.</b> & № 1") == (
        f"&lt;b&gt;Смирнова{S}О.В.&lt;/b&gt; &amp; №{S}1"
    )


def test_the_filter_escapes_even_with_autoescape_off():
    source = "{% autoescape off %}{{ v|typeset }}{% endautoescape %}"
    assert render(source, v="<i>№ 1</i>") == f"&lt;i&gt;№{S}1&lt;/i&gt;"


def test_the_filter_keeps_the_markup_of_linebreaksbr():
    assert render("{{ v|linebreaksbr|typeset }}", v="п. 1\n<script>") == f"п.{S}1<br>&lt;script&gt;"


def test_the_quoted_filter_escapes():
    assert render("{{ v|quoted }}", v="Школа <b>") == "«Школа &lt;b&gt;»"
