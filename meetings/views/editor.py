"""The protocol written on the meeting page. For the leader of a draft the page holds the editor's parts: the
attendance, each question (with its speakers, СЛУШАЛИ / ВЫСТУПИЛИ, decisions and assignments) and a new question,
each its own form posting to its own URL (the editor views of meetings.py and protocols.py).

- Without JavaScript a part posts and the browser comes back to the meeting page at the part's anchor; a part
  with errors comes back as the whole meeting page with that part as typed and an error summary on top of it.
- With htmx (static/vendor/htmx) only the part is sent, and only the part is swapped: what is typed in another
  part stays. The answer also refreshes the signing problems and the preview of the document (out of band) and
  tells the page the meeting's new version and the order of the questions (``protocolChanged``, static/js/portal.js).

Writes go through meetings.services only; the forms are built here, for the meeting page and for the answers.
"""

import json
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from meetings.forms import (
    AgendaItemForm,
    AttendanceFormSet,
    DecisionFormSet,
    GuestFormSet,
    Members,
    QuestionForm,
)
from meetings.forms.speakers import speaker_formset
from meetings.models import AgendaItem, Assignment, Decision
from pos_portal.bad_input import row_id

ATTENDANCE = "attendance"
NEW_QUESTION = "new"
PART_FIELD = "part"  # the hidden field of a form posted from the meeting page: which part it is
INVALID_STATUS = 422  # a part with errors, answered to htmx (swapped: see htmx-config in templates/base.html)


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def question_key(item) -> str:
    return f"q{item.pk}" if item.pk else NEW_QUESTION


def posted_part(request, expected: str) -> str | None:
    """``expected`` when the POST came from the meeting page's part of that name, else None (the standalone
    editor page of before)."""
    return expected if request.method == "POST" and request.POST.get(PART_FIELD) == expected else None


def detail_url(meeting, anchor: str = "") -> str:
    url = reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


def go(request, url: str):
    """A redirect; to htmx, a full navigation (HX-Redirect) rather than a page swapped into a part."""
    if is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


# --- Errors: a summary on top of a part, each message linking to its field -------------------------------------


@dataclass(frozen=True)
class ErrorLink:
    text: str
    href: str


def field_href(bound) -> str:
    """The anchor of a field: its input, or the first of its radio buttons."""
    return "#" + (bound.id_for_label or f"{bound.auto_id}_0")


def form_errors(form, anchor: str, title: str = "") -> list[ErrorLink]:
    """The errors of ``form``: a field's links to the field, the others to the form's first field shown (or to
    ``anchor``, the part)."""
    first = next((form[name] for name in form.fields if not form[name].is_hidden), None)
    links = []
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            href, label = (field_href(first) if first is not None else f"#{anchor}"), title
        else:
            bound = form[name]
            href = field_href(bound)
            label = f"{title} · {bound.label}" if title else str(bound.label)
        links.extend(ErrorLink(f"{label}: {error}" if label else error, href) for error in errors)
    return links


def formset_errors(formset, anchor: str, title: str) -> list[ErrorLink]:
    links = [ErrorLink(error, f"#{anchor}") for error in formset.non_form_errors()]
    for number, form in enumerate(formset.forms, start=1):
        links.extend(form_errors(form, anchor, f"{title} {number}"))
    return links


# --- Parts -------------------------------------------------------------------------------------------------------


@dataclass
class Part:
    """One form of the editor. ``key`` is its anchor on the page and the prefix of its fields; a question
    without ``form`` is shown as read, with its «Изменить»."""

    key: str
    item: AgendaItem | None = None
    form: object = None
    speakers: object = None
    decisions: object = None
    attendance: object = None
    guests: object = None
    conflict: str | None = None
    errors: list = field(default_factory=list)  # messages of a service, above the part
    focus: bool = False  # an added question: the page moves the focus to it
    notice: str = ""  # «Сохранено», shown in the part answered to htmx

    @property
    def summary(self) -> list[ErrorLink]:
        links = [ErrorLink(message, f"#{self.key}") for message in self.errors]
        if self.form is not None:
            links += form_errors(self.form, self.key)
        if self.speakers is not None:
            links += formset_errors(self.speakers, self.key, "Выступающий")
        if self.decisions is not None:
            links += formset_errors(self.decisions, self.key, "Пункт решения")
        if self.attendance is not None:
            links += formset_errors(self.attendance, self.key, "Строка")
        if self.guests is not None:
            links += formset_errors(self.guests, self.key, "Приглашённый")
        return links


def members_of(meeting) -> Members:
    return Members(meeting.members_on_date())


def attendance_initial(meeting, members) -> list[dict]:
    """One row per member; everybody present while no attendance is recorded yet."""
    recorded = {row.teacher_id: row for row in meeting.attendance.all()}
    rows = []
    for teacher in members:
        row = recorded.get(teacher.pk)
        if row is not None:
            rows.append({"teacher": teacher.pk, "present": row.present, "absence_reason": row.absence_reason})
        else:
            rows.append({"teacher": teacher.pk, "present": not recorded, "absence_reason": ""})
    return rows


def attendance_part(meeting, members: Members, data=None) -> Part:
    teachers = list(members.queryset)
    kwargs = {"members": members, "names": {teacher.pk: teacher.short_name for teacher in teachers}}
    if data is None:
        attendance = AttendanceFormSet(
            prefix="attendance", initial=attendance_initial(meeting, teachers), form_kwargs=kwargs
        )
        guests = GuestFormSet(
            prefix="guests",
            initial=[
                {"full_name": guest.full_name, "position": guest.position, "organization": guest.organization}
                for guest in meeting.guests.all()
            ],
        )
    else:
        attendance = AttendanceFormSet(data, prefix="attendance", form_kwargs=kwargs)
        guests = GuestFormSet(data, prefix="guests")
    return Part(ATTENDANCE, attendance=attendance, guests=guests)


def question_part(meeting, members: Members, item, data=None, *, on_page=True, stored=None) -> Part:
    """The form of a question with its decisions: on the meeting page (``on_page``: fields prefixed by the
    part, no number field) or on the standalone page of a question (as before)."""
    key = question_key(item)
    if on_page:
        form = QuestionForm(data, instance=item, prefix=key)
        speakers = speaker_formset(data, item=item, members=members, prefix=f"{key}-speakers")
        decisions_prefix = f"{key}-decisions"
    else:
        initial = {}
        if item.pk is None:
            initial["order"] = meeting.next_question_order()
        form = AgendaItemForm(data, instance=item, initial=initial)
        speakers = speaker_formset(data, item=item, members=members)
        decisions_prefix = "decisions"
    if stored is None and item.pk is not None:
        queryset = Decision.objects.order_by("order").prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.order_by("pk"))
        )
    else:
        queryset = None
    decisions = DecisionFormSet(
        data,
        instance=item,
        prefix=decisions_prefix,
        queryset=queryset,
        stored=stored if data is None else None,
        form_kwargs={"members": members},
    )
    return Part(key, item=item, form=form, speakers=speakers, decisions=decisions)


def question_parts(meeting, members: Members, editing: int | str | None = None) -> list[Part]:
    """Every question of a meeting loaded with meetings.protocol_content.meeting_queryset, as read (its decisions
    and assignments are the prefetched ones: the page's queries do not grow with the questions), the question
    ``editing`` with its form open."""
    return [
        question_part(meeting, members, item, stored=list(item.decisions.all()))
        if item.pk == editing
        else Part(question_key(item), item=item)
        for item in meeting.agenda.all()
    ]


def editing_pk(raw) -> int | str | None:
    """The question opened for editing on the page without JavaScript (``?edit=<id>``, ``?edit=new``)."""
    return NEW_QUESTION if raw == NEW_QUESTION else row_id(raw)


@dataclass
class Editor:
    """The parts of the meeting page of a draft, for its leader; ``bound`` replaces the fresh part of its key."""

    attendance: Part
    questions: list[Part]
    new_question: Part

    @classmethod
    def of(cls, meeting, members: Members | None = None, bound: Part | None = None, editing=None) -> "Editor":
        members = members or members_of(meeting)
        attendance = bound if bound and bound.key == ATTENDANCE else attendance_part(meeting, members)
        questions = [
            bound if bound and bound.key == part.key else part for part in question_parts(meeting, members, editing)
        ]
        if bound and bound.key == NEW_QUESTION:
            new_question = bound
        elif editing == NEW_QUESTION or not questions:
            new_question = question_part(meeting, members, AgendaItem(meeting=meeting))
        else:  # «Добавить вопрос» opens it (the page of a written protocol renders no form it does not need)
            new_question = Part(NEW_QUESTION, item=AgendaItem(meeting=meeting))
        return cls(attendance, questions, new_question)


def fix_on_page(meeting, fix: tuple) -> str | None:
    """Where on the meeting page a signing problem is fixed (``Problem.fix``: a URL name and its arguments): the
    attendance part, a question's part opened, the new question's form; None for what another page fixes."""
    name, *args = fix
    if name == "meetings:attendance":
        return detail_url(meeting, ATTENDANCE)
    if name == "meetings:agenda_add":
        return f"{detail_url(meeting)}?edit={NEW_QUESTION}#{NEW_QUESTION}"
    if name == "meetings:agenda_edit" and args:
        return f"{detail_url(meeting)}?edit={args[0]}#q{args[0]}"
    return None


def changed_trigger(meeting) -> str:
    """The HX-Trigger header of a saved part: the meeting's new version (every part's hidden
    «version» follows it) and the order of the questions (their parts follow it)."""
    order = [item.pk for item in meeting.agenda.all()]
    return json.dumps({"protocolChanged": {"version": meeting.version, "order": order}})
