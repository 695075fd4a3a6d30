"""Russian typography for printed documents: non-breaking spaces where a typist keeps words together, and names in
quotes («ёлочки», „лапки“ inside).

- :func:`typeset` takes plain text and returns it with U+00A0 (no-break space) between initials and a surname
  («О.В. Смирнова», «Смирнова О.В.»), after «№» and «§», after short abbreviations before a number or a name («п. 4.2»,
  «ст. 12», «г. Тутаев», «каб. 21»), between a number and its unit or month («15 мин», «2026 г.», «12 %»,
  «5 классе», «15 октября»), and before a dash that stands between words («опыт — итог»: the dash never opens a
  line). Only spaces are replaced; nothing is added or taken away.
- :func:`typeset_html` does the same to the text of escaped HTML (never inside a tag).
- :func:`quoted` puts a name in «ёлочки», its own quotes turned into „лапки“, without doubling the outer pair.
- :func:`nested` sets the quotes of running text right: «ёлочки» outside, „лапки“ for a pair inside a pair.
- :func:`as_name` is a name as it follows a word such as «сообщества»: in quotes unless it begins with a lower-case
  word or with a quoted part of its own («Наставничество» МОУ «Лицей № 1» is not wrapped again).

The template filter ``|typeset`` (``{% load typography %}``, communities/templatetags/typography.py) escapes first.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

_CAPITAL = "А-ЯЁ"
_INITIAL = rf"[{_CAPITAL}]\."
_SURNAME = rf"[{_CAPITAL}][а-яё]+(?:-[{_CAPITAL}][а-яё]+)?"
#: Short words written before a number or a name that never end a line.
ABBREVIATIONS = ("п", "пп", "ст", "ч", "г", "гг", "ул", "д", "каб", "стр", "рис", "им", "тел", "кл", "разд", "прил")
#: Units and words that follow a number and never begin a line.
UNITS = (
    "мин",
    "ч",
    "час",
    "часа",
    "часов",
    "сек",
    "г",
    "гг",
    "год",
    "года",
    "лет",
    "руб",
    "чел",
    "человек",
    "человека",
    "кл",
    "класс",
    "класса",
    "классе",
    "классах",
    "классов",
    "мм",
    "см",
    "м",
    "км",
    "кг",
    "стр",
    "с",
    "шт",
    "раз",
    "раза",
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_RULES = (
    # «О. В. Смирнова» → the initials together
    (re.compile(rf"\b({_INITIAL})[ \t]+(?={_INITIAL})"), rf"\1{NBSP}"),
    # «Смирнова О.В.» → the surname with the initials
    (re.compile(rf"\b({_SURNAME})[ \t]+(?=[{_CAPITAL}]\.)"), rf"\1{NBSP}"),
    # «О.В. Смирнова» → the initials with the surname
    (re.compile(rf"(?<![{_CAPITAL}а-яё])((?:{_INITIAL}{NBSP}?){{1,2}})[ \t]+(?={_SURNAME})"), rf"\1{NBSP}"),
    # «№ 1», «§ 2»
    (re.compile(r"([№§])[ \t]+(?=\S)"), rf"\1{NBSP}"),
    # «п. 4.2», «г. Тутаев», «каб. 21»
    (
        re.compile(rf"(?<![а-яёА-ЯЁ])((?:{'|'.join(ABBREVIATIONS)})\.)[ \t]+(?=[\d{_CAPITAL}«\"])"),
        rf"\1{NBSP}",
    ),
    # «15 мин», «2026 г.», «12 %», «5 классе», «15 октября»
    (re.compile(rf"(\d)[ \t]+(?=(?:{'|'.join(UNITS)})(?![а-яё])|%)"), rf"\1{NBSP}"),
    # «опыт — итог»: the dash stays with the word before it
    (re.compile(r"(?<=\S)[ \t]+([—–])(?=[ \t\n]|$)"), rf"{NBSP}\1"),
)


def typeset(text: str) -> str:
    """``text`` with no-break spaces where Russian typography wants them (see the module's docstring)."""
    if not text:
        return text
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


_TAG = re.compile(r"(<[^>]*>)")


def typeset_html(html: str) -> str:
    """:func:`typeset` applied to the text of ``html`` (already escaped), never inside a tag."""
    return "".join(part if part.startswith("<") else typeset(part) for part in _TAG.split(html))


_OPENERS = '«„“"'
_CLOSERS = '»“”"'


def _outer_pair(name: str) -> bool:
    """``name`` is wholly in one pair of quotes: its first quote closes at its last character."""
    if len(name) < 2 or name[0] not in _OPENERS or name[-1] not in _CLOSERS:
        return False
    depth = 0
    for index, char in enumerate(name):
        if char in "«„" or (char in '"“' and (index == 0 or name[index - 1].isspace() or name[index - 1] in "(«„")):
            depth += 1
        elif char in "»”" or char in '"“':
            depth -= 1
            if depth == 0:
                return index == len(name) - 1
    return False


def _inner(name: str) -> str:
    """The quotes inside a name as „лапки“: an opener where a word begins, a closer where it ends."""
    out = []
    for index, char in enumerate(name):
        if char in "«„":
            out.append("„")
        elif char in "»”":
            out.append("“")
        elif char in '"“':
            before = name[index - 1] if index else " "
            out.append("„" if before.isspace() or before in "(„«" else "“")
        else:
            out.append(char)
    return "".join(out)


def quoted(name: str) -> str:
    """``name`` in «ёлочки»: «Радуга», «Детский сад № 34 „Радуга“»; a name already in quotes is not quoted twice."""
    name = " ".join(name.split())
    while _outer_pair(name):
        name = name[1:-1].strip()
    return f"«{_inner(name)}»" if name else ""


def nested(text: str) -> str:
    """``text`` with its quotes nested right: a pair at the top level as «ёлочки», a pair inside a pair as „лапки“
    («Детский сад № 12 «Солнышко»» → «Детский сад № 12 „Солнышко“»). Straight quotes open where a word begins."""
    out, depth = [], 0
    for index, char in enumerate(text):
        before = text[index - 1] if index else " "
        opens = char in "«„" or (char in '"“' and (before.isspace() or before in "(«„"))
        if opens:
            depth += 1
            out.append("«" if depth == 1 else "„")
        elif char in '»”"“' and depth:
            out.append("»" if depth == 1 else "“")
            depth -= 1
        else:
            out.append(char)
    return "".join(out)


def as_name(name: str) -> str:
    """``name`` as it follows a word such as «сообщества»: «учителей математики» and «воспитателей МДОУ «Детский
    сад № 12 „Солнышко“»» keep their words (a lower-case beginning is not a proper name), «„Наставничество“ …» is
    not wrapped again when it begins with a quoted part that does not span it all («Наставничество» МОУ «Лицей
    № 1»); any other name is put in «ёлочки» (:func:`quoted`). The quotes are nested right (:func:`nested`)."""
    name = " ".join(name.split())
    if not name:
        return ""
    if name[0].islower() or (name[0] in _OPENERS and not _outer_pair(name)):
        return nested(name)
    return quoted(name)
