"""How much text reaches a document: the one home of the maximum lengths and counts (docs/rules.md, «Пределы
текстов и документов», holds the table of :func:`documented_table`: tests/meetings/test_text_limits.py checks it).

A printed document is laid out by WeasyPrint in the request: an unbounded text (200 questions, 1.2 MB) took a
minute and the worker was killed at gunicorn's timeout; one 200 KB word took a minute and gave a 500. So every
text that is printed has a maximum length, checked at entry with a Russian message:

- on the model field (``max_length``, and the validators of :func:`text_validators`), so the admin, the portal's
  forms (``maxlength`` on the input) and the commands obey the same number;
- a word longer than :data:`LONGEST_WORD` characters without a space or a hyphen cannot be wrapped on a line of
  the page and is refused (:class:`NoUnbreakableWords`);
- the counts of rows that are printed (questions of a protocol, speakers and points of a question) are checked in
  the models' ``clean()``, and the protocol's text as a whole (:data:`PROTOCOL_TEXT`) by
  ``meetings.models.Meeting.check_protocol_text``.

A document that is larger anyway (data entered before the limits) is refused before layout
(``reports.pdf.DocumentTooLarge``: :data:`DOCUMENT_HTML` characters of HTML), with a page that says why (413).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from pos_portal.russian import plural

# --- Lengths of texts, in characters ------------------------------------------------------------------------------

#: A word without a space or a hyphen: the longest a line of the page can hold is about 70 characters at 12 pt.
LONGEST_WORD = 80

# The protocol and its questions.
QUESTION = 500  # вопрос повестки
HEARD = 6000  # СЛУШАЛИ: the summary of the report
SPEECH = 2000  # ВЫСТУПИЛИ: what one speaker said
DECISION = 4000  # РЕШИЛИ (ПОСТАНОВИЛИ): one point of a decision
ASSIGNMENT = DECISION  # an assignment's text is its decision's (meetings.services)
PROTOCOL_ATTACHMENTS = 2000  # приложения
CORRECTION = 4000  # the text of a correction
REASON = 1000  # the reason of a correction, of a deadline moved, of a cancellation
REPORT = 4000  # a member's report on an assignment
COMMENT = 2000  # a leader's or a reviewer's comment

# The meeting.
MEETING_TOPIC = 500
MEETING_PLACE = 300
CANCEL_REASON = 500
PROTOCOL_PLACE = 200
ABSENCE_REASON = 300

# People and organizations.
PERSON_NAME = 300  # ФИО of a guest or an outside speaker
POSITION = 300  # должность of a guest or an outside speaker
ORGANIZATION = 300  # организация of a guest or an outside speaker
COMMUNITY_NAME = 300
COMMUNITY_THEME = 500
DESCRIPTION = 4000  # a community's description, a member's duties

# The annual plan and the annual report.
PLAN_THEME = 500
PLAN_TEXT = 6000  # goals, tasks, composition, professional needs
PLAN_ITEM_TOPIC = 500
PLAN_ITEM_RESULT = 2000
REPORT_TEXT = 4000  # each typed section of the annual report (results, open lessons, conclusions, …)

# --- Counts ---------------------------------------------------------------------------------------------------------

#: Questions of one protocol's agenda.
QUESTIONS = 30
#: Speakers of one question (докладчики and those who spoke).
SPEAKERS = 10
#: Points of the decision of one question (each may give one assignment from the protocol editor).
DECISION_POINTS = 10
#: Assignments given by one point of a decision.
ASSIGNMENTS = 5
#: Guests of one meeting.
GUESTS = 30

#: The text of one protocol as a whole (questions, СЛУШАЛИ, ВЫСТУПИЛИ, decisions): some 40 pages.
PROTOCOL_TEXT = 100_000

#: The HTML of one document handed to WeasyPrint, in characters: the largest protocol the limits allow with its
#: 40 members' annex is some 145,000 (tests/reports/max_case.py); more is data entered before the limits.
DOCUMENT_HTML = 600_000
#: A word this long in a document's text is refused before layout (WeasyPrint took a minute on a 200 KB word):
#: the limits let no word past :data:`LONGEST_WORD`, so only older data has one.
DOCUMENT_WORD = 1000


def characters(count: int) -> str:
    return f"{count} {plural(count, 'символ', 'символа', 'символов')}"


def too_long_message(limit: int, length: int) -> str:
    return f"Не более {characters(limit)}: сейчас {length}. Сократите текст."


_BREAKS = re.compile(r"[\s\-\u00ad\u2010\u2011\u2012\u2013\u2014]+")


def longest_word(text: str) -> str:
    """The longest run of characters ``text`` holds without a space or a hyphen (where a line can break)."""
    return max(_BREAKS.split(text or ""), key=len, default="")


@deconstructible
class MaxLength:
    """At most ``limit`` characters, with a Russian message (Django's own says «Убедитесь, что…»)."""

    code = "max_length"

    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, value):
        if value is not None and len(value) > self.limit:
            raise ValidationError(too_long_message(self.limit, len(value)), code=self.code)

    def __eq__(self, other):
        return isinstance(other, MaxLength) and self.limit == other.limit


@deconstructible
class NoUnbreakableWords:
    """No word longer than :data:`LONGEST_WORD` characters without a space or a hyphen: the page cannot wrap it."""

    code = "unbreakable_word"

    def __init__(self, limit: int = LONGEST_WORD):
        self.limit = limit

    def __call__(self, value):
        word = longest_word(value)
        if len(word) > self.limit:
            raise ValidationError(
                f"Слово «{word[:20]}…» длиной {characters(len(word))} без пробела не переносится на строке "
                f"документа: разделите его пробелом или дефисом (не более {characters(self.limit)} подряд).",
                code=self.code,
            )

    def __eq__(self, other):
        return isinstance(other, NoUnbreakableWords) and self.limit == other.limit


def text_validators(limit: int) -> list:
    """The validators of a printed text of at most ``limit`` characters (with ``max_length=limit`` on the field)."""
    return [MaxLength(limit), NoUnbreakableWords()]


def count_message(limit: int, what: str) -> str:
    """«Не более 30 вопросов в повестке одного протокола.»: ``what`` follows the number (genitive plural)."""
    return f"Не более {limit} {what}."


#: What docs/rules.md lists, in its order: (what, the limit).
DOCUMENTED = [
    ("Вопрос повестки", QUESTION),
    ("СЛУШАЛИ (содержание доклада)", HEARD),
    ("ВЫСТУПИЛИ (одно выступление)", SPEECH),
    ("Пункт решения (РЕШИЛИ), поручение", DECISION),
    ("Приложения к протоколу", PROTOCOL_ATTACHMENTS),
    ("Исправление протокола", CORRECTION),
    ("Основание исправления, причина переноса срока", REASON),
    ("Отчёт о выполнении поручения", REPORT),
    ("Замечание руководителя", COMMENT),
    ("Тема заседания", MEETING_TOPIC),
    ("Место проведения", MEETING_PLACE),
    ("Причина отмены заседания", CANCEL_REASON),
    ("Причина отсутствия", ABSENCE_REASON),
    ("ФИО, должность, организация гостя или выступающего не из ПОС", PERSON_NAME),
    ("Название ПОС", COMMUNITY_NAME),
    ("Тема работы ПОС", COMMUNITY_THEME),
    ("Описание ПОС, обязанности члена ПОС", DESCRIPTION),
    ("Тема плана работы", PLAN_THEME),
    ("Цели, задачи, состав, потребности в плане работы", PLAN_TEXT),
    ("Тема мероприятия плана", PLAN_ITEM_TOPIC),
    ("Ожидаемый результат мероприятия плана", PLAN_ITEM_RESULT),
    ("Раздел отчёта о деятельности за год (результаты, открытые уроки, выводы…)", REPORT_TEXT),
    ("Слово без пробела или дефиса", LONGEST_WORD),
    ("Текст протокола в целом", PROTOCOL_TEXT),
]
DOCUMENTED_COUNTS = [
    ("Вопросов в повестке одного протокола", QUESTIONS),
    ("Выступающих по одному вопросу", SPEAKERS),
    ("Пунктов решения по одному вопросу", DECISION_POINTS),
    ("Поручений по одному пункту решения", ASSIGNMENTS),
    ("Гостей заседания", GUESTS),
]


def bounded(limit: int) -> dict:
    """The keyword arguments of a model's printed text field of at most ``limit`` characters:
    ``models.TextField("цели", blank=True, **bounded(PLAN_TEXT))``."""
    return {"max_length": limit, "validators": text_validators(limit)}


def documented_table() -> str:
    """The table of docs/rules.md, «Пределы текстов и документов» (tests/meetings/test_text_limits.py checks the two
    agree): print
    it with ``python -c "from pos_portal.limits import documented_table; print(documented_table())"``."""
    rows = ["| Что | Не более |", "| --- | --- |"]
    rows += [f"| {what} | {characters(limit)} |" for what, limit in DOCUMENTED]
    rows += [f"| {what} | {limit} |" for what, limit in DOCUMENTED_COUNTS]
    return "\n".join(rows)
