"""The history of a community: every recorded change of the community and its records (members, leaders'
appointments, plans, meetings, attendance, agenda, decisions, assignments, protocols, materials, its regulations and
their acknowledgements, annual reports), newest first, with who made it, when, and what changed. Teachers and
organizations are audited too but belong to no one community. For the leader, methodists and the Department (see
communities.models.history)."""

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db.models import OuterRef, Q, Subquery
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from communities.access import community_for, require
from communities.models import Regulation, Teacher
from communities.models.history import CommunityHistory

PAGE_SIZE = 50
MAX_VALUE_LENGTH = 300
ACTIONS = {"+": "создание", "~": "изменение", "-": "удаление"}
# References shown by name (one query per kind of object on the page); any other one by its number.
NAMERS = {
    "communities.Teacher": lambda o: o.short_name,
    "communities.Organization": lambda o: o.short_name,
    "communities.Community": lambda o: o.name,
    "communities.AnnualPlan": lambda o: f"план на {o.academic_year} учебный год",
    "communities.PlanItem": lambda o: o.topic,
    "communities.Regulation": lambda o: o.title,
    "meetings.Meeting": lambda o: f"{o.date:%d.%m.%Y}: {o.topic}",
    "meetings.AgendaItem": lambda o: f"вопрос {o.order}: {o.question}",
    "meetings.Decision": lambda o: f"пункт {o.order}: {o.text}",
    "meetings.Assignment": lambda o: o.text,
    settings.AUTH_USER_MODEL: lambda o: o.get_username(),
}


def audited_models():
    """The historical models of the audit trail, in a stable order."""
    return sorted(
        (model for model in apps.get_models() if issubclass(model, CommunityHistory)), key=lambda m: m._meta.label
    )


def _date(value) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


LABELS = {
    "community": lambda r, names: r.name,
    "membership": lambda r, names: names.get((Teacher, r.teacher_id), ""),
    "leaderappointment": lambda r, names: (
        f"приказ № {r.order_number} от {_date(r.order_date)}, {names.get((Teacher, r.teacher_id), '')}"
    ),
    "annualplan": lambda r, names: f"на {r.academic_year} учебный год",
    "planitem": lambda r, names: r.topic,
    "meeting": lambda r, names: f"{_date(r.date)}: {r.topic}",
    "attendance": lambda r, names: names.get((Teacher, r.teacher_id), ""),
    "guest": lambda r, names: r.full_name,
    "agendaitem": lambda r, names: f"вопрос {r.order}: {r.question}",
    "speaker": lambda r, names: (
        f"выступающий {r.order}: {names.get((Teacher, r.teacher_id), '') if r.teacher_id else r.full_name}"
    ),
    "decision": lambda r, names: f"пункт {r.order}: {r.text}",
    "assignment": lambda r, names: r.text,
    "followup": lambda r, names: (
        f"{names.get((apps.get_model('meetings.Assignment'), r.assignment_id), r.assignment_id)}: "
        f"{r.get_outcome_display()}"
    ),
    "protocol": lambda r, names: f"№ {r.number}, {r.academic_year} учебный год",
    "material": lambda r, names: r.title,
    "regulation": lambda r, names: r.title,
    "acknowledgement": lambda r, names: (
        f"{names.get((Teacher, r.teacher_id), '')}: {names.get((Regulation, r.regulation_id), '')}"
    ),
    "annualreport": lambda r, names: f"за {r.academic_year} учебный год",
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: dt.datetime
    who: str
    action: str
    kind: str
    label: str
    changes: list[Change] = field(default_factory=list)


def _shown_fields(record):
    """The fields a reader is shown: those a person edits (not ids, versions or timestamps)."""
    return [f for f in record.instance_type._meta.concrete_fields if f.editable and not f.primary_key]


def _display(model_field, value, names) -> str:
    if value is None or value == "":
        return "—"
    if model_field.is_relation:
        related = model_field.related_model
        return names.get((related, value), f"№ {value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%d.%m.%Y %H:%M}"
    if isinstance(value, dt.date):
        return _date(value)
    text = str(value)
    return text if len(text) <= MAX_VALUE_LENGTH else f"{text[: MAX_VALUE_LENGTH - 1]}…"


def _who(user) -> str:
    if user is None:
        return "система"
    teacher = getattr(user, "teacher", None)
    name = teacher.short_name if teacher else (user.get_full_name() or user.get_username())
    return f"{name} ({user.get_username()})"


def _previous_id(model):
    """The history row that precedes a row of the same object."""
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    return Subquery(
        model.objects.filter(earlier, id=OuterRef("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )


def _names(records) -> dict:
    """(model, pk) -> the name of every object of NAMERS the records refer to: one query per kind of object."""
    wanted = {}
    for record in records:
        for model_field in _shown_fields(record):
            if model_field.is_relation and model_field.related_model._meta.label in NAMERS:
                value = getattr(record, model_field.attname)
                if value is not None:
                    wanted.setdefault(model_field.related_model, set()).add(value)
    names = {}
    for model, ids in wanted.items():
        namer = NAMERS[model._meta.label]
        for pk, obj in model._base_manager.in_bulk(ids).items():
            names[(model, pk)] = namer(obj)
    return names


def community_history_page(community, page: int):
    """The entries of one page of the community's history (newest first) and whether earlier ones exist."""
    limit = page * PAGE_SIZE
    records = []
    for model in audited_models():
        if model.instance_type.audit_community_id is None:  # rows of no community (teachers, organizations)
            continue
        records += list(
            model.objects.filter(history_community_id=community.pk)
            .select_related("history_user__teacher")
            .annotate(previous_history_id=_previous_id(model))
            .order_by("-history_date", "-history_id")[: limit + 1]
        )
    records.sort(key=lambda r: (r.history_date, r.history_id), reverse=True)
    has_more = len(records) > limit
    records = records[limit - PAGE_SIZE : limit]

    previous = {}
    by_model = {}
    for record in records:
        if record.previous_history_id is not None and record.history_type == "~":
            by_model.setdefault(type(record), set()).add(record.previous_history_id)
    for model, ids in by_model.items():
        for history_id, row in model.objects.in_bulk(ids).items():
            previous[(model, history_id)] = row

    names = _names([*records, *previous.values()])
    entries = []
    for record in records:
        meta = record.instance_type._meta
        label = LABELS.get(meta.model_name, lambda r, n: f"№ {r.id}")(record, names)
        entry = Entry(
            when=record.history_date,
            who=_who(record.history_user),
            action=ACTIONS.get(record.history_type, record.history_type),
            kind=str(meta.verbose_name),
            label=label,
        )
        fields = _shown_fields(record)
        before = previous.get((type(record), record.previous_history_id))
        if record.history_type == "+" or (record.history_type == "~" and before is None):
            for model_field in fields:
                value = getattr(record, model_field.attname)
                if value not in (None, ""):
                    entry.changes.append(Change(str(model_field.verbose_name), "", _display(model_field, value, names)))
        elif record.history_type == "~":
            delta = record.diff_against(before, included_fields=[f.name for f in fields])
            order = {f.name: position for position, f in enumerate(fields)}
            for change in sorted(delta.changes, key=lambda c: order[c.field]):
                model_field = meta.get_field(change.field)
                entry.changes.append(
                    Change(
                        str(model_field.verbose_name),
                        _display(model_field, change.old, names),
                        _display(model_field, change.new, names),
                    )
                )
        entries.append(entry)
    return entries, has_more


def _page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), 1000)


@require_http_methods(["GET"])
def community_history(request, pk):
    community, access = community_for(request.user, pk)
    require(
        access.can_see_history, "Историю изменений видят руководитель ПОС, методисты ИОЦ и Департамент образования."
    )
    page = _page_number(request.GET.get("page"))
    entries, has_more = community_history_page(community, page)
    context = {
        "community": community,
        "access": access,
        "entries": entries,
        "page": page,
        "has_more": has_more,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if has_more else None,
    }
    return render(request, "communities/history.html", context)
