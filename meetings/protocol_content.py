"""The content of a protocol, built in one place for every form it is shown in: the meeting page's preview, the PDF
of the protocol and of an extract (``reports.protocol_pdf``), and any later format. What the leader previews is then
what is printed.

:func:`protocol_content` reads a protocol loaded with :func:`protocol_queryset` (or a meeting loaded with
:func:`meeting_queryset`) and returns a :class:`ProtocolContent`: plain, frozen dataclasses of strings, numbers and
dates in the order of the document (docs/rules.md, «Документы, которые печатает портал»). Reading it runs no
query. The templates under ``templates/meetings/protocol/`` lay it out; each format keeps only its own frame.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.db.models import Prefetch

from communities.models import IOC_FULL_NAME, Community, ioc_full_name_subquery
from meetings import models
from pos_portal.russian import plural
from pos_portal.typography import nested

#: Over this many present members the protocol gives their count, «список прилагается», and the list as an appendix.
PRESENT_LIST_LIMIT = 15
#: A block of a protocol (a decision, what was heard or said) up to this many characters is kept on one page; a
#: longer one flows on to the next (a typist never leaves a page two-thirds empty to keep a long decision whole).
KEEP_TOGETHER_CHARS = 600
#: The protocol's signatures, in order: the chair's, then the secretary's (where there is one).
CHAIR, SECRETARY = "Председательствующий", "Секретарь"
#: The signature of a leader who signed a protocol they did not chair (a successor after a change of leader).
SIGNER = "Руководитель ПОС"


def people(count: int) -> str:
    """«человек» / «человека» after a number: 1 человек, 3 человека, 5 человек, 22 человека."""
    return plural(count, "человек", "человека", "человек")


def name_key(teacher) -> list[str]:
    """The key of a Russian list of names: surname, name, patronymic, with «ё» sorted as «е»."""
    return [part.lower().replace("ё", "е") for part in (teacher.surname, teacher.name, teacher.patronymic)]


# --- Loading: everything the document shows, in a fixed number of queries ----------------------------------------

PROTOCOL_PEOPLE = ("chair__organization", "secretary__organization", "signed_by")


def meeting_prefetches(prefix: str = "") -> list[Prefetch]:
    """The rows under a meeting that its protocol prints, for ``prefetch_related`` (``prefix``: the path to the
    meeting, e.g. ``"meeting__"`` from a protocol)."""
    return [
        Prefetch(f"{prefix}attendance", queryset=models.Attendance.objects.select_related("teacher__organization")),
        Prefetch(f"{prefix}guests", queryset=models.Guest.objects.order_by("full_name", "pk")),
        Prefetch(f"{prefix}agenda", queryset=models.AgendaItem.objects.order_by("order")),
        Prefetch(
            f"{prefix}agenda__speakers", queryset=models.Speaker.objects.select_related("teacher").order_by("order")
        ),
        Prefetch(f"{prefix}agenda__decisions", queryset=models.Decision.objects.order_by("order")),
        Prefetch(
            f"{prefix}agenda__decisions__assignments",
            queryset=models.Assignment.objects.select_related("responsible").order_by("deadline", "pk"),
        ),
    ]


def corrections_prefetch(prefix: str = "") -> Prefetch:
    return Prefetch(
        f"{prefix}corrections",
        queryset=models.ProtocolCorrection.objects.select_related(
            "author", "agenda_item", "decision__agenda_item"
        ).order_by("number", "pk"),
    )


def protocol_queryset():
    """Protocols with everything their documents print (the protocol's PDF; the corrections, which it never prints
    but an extract does)."""
    return (
        models.Protocol.objects.select_related("meeting__community__organization", *PROTOCOL_PEOPLE)
        .prefetch_related(*meeting_prefetches("meeting__"), corrections_prefetch())
        .annotate(document_ioc_name=ioc_full_name_subquery())
    )


def meeting_head_queryset():
    """Meetings with their protocol and its people, without the rows under them: what the meeting page reads before
    it knows whether it needs the document's rows (``page_prefetches``; a signed protocol's rendered document may
    be cached, meetings.signed_document)."""
    return models.Meeting.objects.select_related(
        "protocol", *(f"protocol__{field}" for field in PROTOCOL_PEOPLE)
    ).annotate(document_ioc_name=ioc_full_name_subquery())


def page_prefetches() -> list[Prefetch]:
    """The rows under a meeting that its page shows with the protocol: the document's and the corrections."""
    return [*meeting_prefetches(), corrections_prefetch("protocol__")]


def meeting_queryset():
    """Meetings with their protocol and everything its document shows (the meeting page). The caller sets
    ``meeting.community`` (with its organization) when it has it already."""
    return meeting_head_queryset().prefetch_related(*page_prefetches())


def load_protocol(pk: int) -> models.Protocol:
    return protocol_queryset().get(pk=pk)


# --- The content ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    organization: str  # the full name of the community's organization, the ИОЦ's for a municipal community
    community: str
    number: int
    date: dt.date
    place: str  # where the protocol is drawn up («г. Тутаев»)
    community_genitive: str = ""  # Community.title_genitive
    meeting_place: str = ""  # where the meeting was held
    time: dt.time | None = None
    form: str = ""  # «заседание», «круглый стол, дистанционно»

    @property
    def title(self) -> str:
        """«заседания профессионального обучающегося сообщества учителей математики»."""
        return f"заседания {self.community_genitive}"


@dataclass(frozen=True)
class Present:
    name: str  # «Фамилия И.О.»
    position: str
    organization: str


@dataclass(frozen=True)
class Absent:
    name: str
    reason: str


@dataclass(frozen=True)
class Guest:
    full_name: str
    position: str
    organization: str


@dataclass(frozen=True)
class Attendance:
    present: tuple[Present, ...]
    absent: tuple[Absent, ...]
    guests: tuple[Guest, ...]

    @property
    def listed(self) -> bool:
        """The present are named in the text; over PRESENT_LIST_LIMIT, counted and listed in an appendix."""
        return len(self.present) <= PRESENT_LIST_LIMIT

    @property
    def present_count(self) -> str:
        """«18 человек»."""
        return f"{len(self.present)} {people(len(self.present))}"


@dataclass(frozen=True)
class Votes:
    in_favour: int
    against: int
    abstained: int
    unanimous: bool = False  # «за – N (единогласно)», N the number present


@dataclass(frozen=True)
class Assignment:
    responsible: str  # «Фамилия И.О.»
    deadline: dt.date


@dataclass(frozen=True)
class Decision:
    number: str  # «1.2»: the question's number, then the decision's
    text: str
    assignments: tuple[Assignment, ...]
    votes: Votes | None
    pk: int = 0
    mark: str = ""  # «в редакции исправления № 1 от 20.10.2024»: the text is a correction's (an extract's only)

    @property
    def keep(self) -> bool:
        """Short enough to be kept on one page (KEEP_TOGETHER_CHARS)."""
        return len(self.text) <= KEEP_TOGETHER_CHARS


@dataclass(frozen=True)
class Spoke:
    name: str  # «Фамилия И.О.» (as written for a name recorded before the list of speakers)
    text: str

    @property
    def keep(self) -> bool:
        return len(self.text) <= KEEP_TOGETHER_CHARS


@dataclass(frozen=True)
class Question:
    pk: int
    order: int
    question: str
    reporters: tuple[str, ...]  # after «Докладчик:»: «должность, И.О. Фамилия» of each, in order
    heard_from: str  # after «СЛУШАЛИ:»: «Фамилия И.О.» of each докладчик, in order
    heard: str
    spoke: tuple[Spoke, ...]  # ВЫСТУПИЛИ: each who spoke, in order, with what they said
    decisions: tuple[Decision, ...]
    follow_up: bool = False  # «О выполнении решений предыдущего заседания»: its outcomes page (not printed)
    corrections: tuple[str, ...] = ()  # «Исправление № 1 от 20.10.2024: …» of the question itself (an extract's only)

    @property
    def heard_keep(self) -> bool:
        """What was heard is short enough to be kept on one page with its heading."""
        return len(self.heard) <= KEEP_TOGETHER_CHARS

    @property
    def speaker(self) -> str:
        """The agenda's line after «Докладчик:» / «Докладчики:»."""
        return "; ".join(self.reporters)


@dataclass(frozen=True)
class Signature:
    position: str
    name: str  # «И.О. Фамилия»; "" when nobody is named yet


@dataclass(frozen=True)
class Correction:
    text: str
    reason: str
    created_at: dt.datetime
    author: str
    pk: int = 0
    number: int = 0
    title: str = ""  # «Исправление № 2 к протоколу № 1 от 15.10.2024»
    target: str = ""  # «п. 1.2 решения по вопросу 1», «вопрос 1», «протокол в целом»
    agenda_item_pk: int | None = None
    decision_pk: int | None = None
    new_text: str = ""

    @property
    def mark(self) -> str:
        """«в редакции исправления № 1 от 20.10.2024»."""
        return f"в редакции исправления № {self.number} от {self.created_at:%d.%m.%Y}"


@dataclass(frozen=True)
class ProtocolContent:
    heading: Heading
    chair: str  # «И.О. Фамилия»; "" when not named yet
    secretary: str
    chair_position: str  # «учитель математики, руководитель ПОС (МОУ СШ № 3)»; "" when not named
    secretary_position: str
    attendance: Attendance
    questions: tuple[Question, ...]
    attachments: tuple[str, ...]  # the list of present members first, when it is an appendix
    signatures: tuple[Signature, ...]
    signed_by: str
    signed_at: dt.datetime | None
    signed_by_chair: bool  # the one who chaired signed; a successor leader is named as the signer, with the chair
    corrections: tuple[Correction, ...]  # a signed protocol's corrections: shown with it, never printed into it
    quorum: str = ""  # «Кворум отсутствовал: присутствовали 3 из 12.» when signed below quorum (Protocol.quorum_note)

    @property
    def draft(self) -> bool:
        return self.signed_at is None

    def question(self, pk: int) -> Question:
        return next(question for question in self.questions if question.pk == pk)

    def corrected_question(self, pk: int) -> Question:
        """The question ``pk`` as it reads after the corrections (an extract): each corrected decision in its latest
        wording with the mark of that correction, and the corrections of the question itself as notes. The protocol
        itself is never reprinted this way: its signed document stays as signed."""
        question = self.question(pk)
        latest = {c.decision_pk: c for c in self.corrections if c.decision_pk}  # in order: the last one wins
        decisions = tuple(
            replace(decision, text=latest[decision.pk].new_text, mark=latest[decision.pk].mark)
            if decision.pk in latest
            else decision
            for decision in question.decisions
        )
        notes = tuple(
            f"Исправление № {c.number} от {c.created_at:%d.%m.%Y}: {c.text}"
            for c in self.corrections
            if c.agenda_item_pk == pk and not c.decision_pk
        )
        return replace(question, decisions=decisions, corrections=notes)


def _votes(decision, present: int) -> Votes | None:
    """The vote line: «единогласно» counts those present; «голосовали» prints the numbers stored (none stored: no
    line, as for a decision recorded before the kinds of vote); «без голосования» has none."""
    if decision.vote == models.Decision.Vote.UNANIMOUS:
        return Votes(present, 0, 0, unanimous=True)
    if decision.vote == models.Decision.Vote.NONE or not decision.has_votes:
        return None
    return Votes(decision.votes_for or 0, decision.votes_against or 0, decision.votes_abstained or 0)


def _question(item, present: int) -> Question:
    decisions = tuple(
        Decision(
            number=f"{item.order}.{decision.order}",
            text=decision.text,
            assignments=tuple(
                Assignment(row.responsible.short_name, row.deadline) for row in decision.assignments.all()
            ),
            votes=_votes(decision, present),
            pk=decision.pk,
        )
        for decision in item.decisions.all()
    )
    speakers = list(item.speakers.all())
    reporters = [speaker for speaker in speakers if speaker.part == models.Speaker.Part.REPORT]
    return Question(
        pk=item.pk,
        order=item.order,
        question=item.question,
        reporters=tuple(speaker.reporter_line for speaker in reporters),
        heard_from=", ".join(speaker.listed_name for speaker in reporters),
        heard=item.heard,
        spoke=tuple(
            Spoke(speaker.listed_name, speaker.text)
            for speaker in speakers
            if speaker.part == models.Speaker.Part.SPOKE
        ),
        decisions=decisions,
        follow_up=item.follow_up,
    )


def meeting_form(meeting) -> str:
    """The form of the meeting as its protocol states it: «заседание», «круглый стол, дистанционно» (an online
    meeting with no place), «заседание, очно и дистанционно» (with a place and a link)."""
    label = str(meeting.get_form_display())
    form = label[:1].lower() + label[1:] if label[1:2].islower() else label
    if meeting.online_link:
        form += ", очно и дистанционно" if meeting.place else ", дистанционно"
    return form


def officer_position(teacher, community: Community) -> str:
    """The position of the chair or the secretary after their name; in a municipal community, whose members come
    from many organizations, with the organization («учитель математики (МОУ СШ № 3)»)."""
    if teacher is None:
        return ""
    position = " ".join(teacher.position.split())
    if not community.organization_id and teacher.organization_id:
        organization = teacher.organization.short_name
        position = f"{position} ({organization})" if position else organization
    return position


def _ioc_name(source) -> str | None:
    """The ИОЦ's name as the loading querysets annotate it (None: not annotated, to be read)."""
    if not hasattr(source, "document_ioc_name"):
        return None
    return source.document_ioc_name or IOC_FULL_NAME


def protocol_content(source: models.Protocol | models.Meeting) -> ProtocolContent:
    """The content of the protocol of ``source`` (a protocol from :func:`protocol_queryset`, or a meeting with a
    protocol from :func:`meeting_queryset`)."""
    if isinstance(source, models.Meeting):
        meeting, protocol = source, source.protocol
    else:
        meeting, protocol = source.meeting, source
    community = meeting.community
    rows = sorted(meeting.attendance.all(), key=lambda row: name_key(row.teacher))
    attendance = Attendance(
        present=tuple(
            Present(row.teacher.short_name, row.teacher.position, row.teacher.organization.short_name)
            for row in rows
            if row.present
        ),
        absent=tuple(Absent(row.teacher.short_name, row.absence_reason) for row in rows if not row.present),
        guests=tuple(Guest(guest.full_name, guest.position, guest.organization) for guest in meeting.guests.all()),
    )
    attachments = []
    if not attendance.listed:
        attachments.append(f"Список присутствовавших на заседании ({attendance.present_count}).")
    attachments += [line.strip() for line in protocol.attachments.splitlines() if line.strip()]
    chair = protocol.chair.signature_name if protocol.chair_id else ""
    secretary = protocol.secretary.signature_name if protocol.secretary_id else ""
    signatures = [Signature(CHAIR, chair)]
    if secretary:
        signatures.append(Signature(SECRETARY, secretary))
    signed_by_chair = not protocol.signed_by_id or protocol.signed_by_id == protocol.chair_id
    if not signed_by_chair and protocol.signed_by_id != protocol.secretary_id:
        signatures.append(Signature(SIGNER, protocol.signed_by.signature_name))
    return ProtocolContent(
        heading=Heading(
            organization=community.document_organization_name(_ioc_name(source)),
            community=nested(community.name),  # its quotes nested right (typography.nested)
            number=protocol.number,
            date=meeting.date,
            place=protocol.place,
            community_genitive=community.title_genitive,
            meeting_place=meeting.place,
            time=meeting.time,
            form=meeting_form(meeting),
        ),
        chair=chair,
        secretary=secretary,
        chair_position=officer_position(protocol.chair if protocol.chair_id else None, community),
        secretary_position=officer_position(protocol.secretary if protocol.secretary_id else None, community),
        attendance=attendance,
        questions=tuple(_question(item, len(attendance.present)) for item in meeting.agenda.all()),
        attachments=tuple(attachments),
        signatures=tuple(signatures),
        signed_by=protocol.signed_by.signature_name if protocol.signed_by_id else "",
        signed_at=protocol.signed_at,
        signed_by_chair=signed_by_chair,
        corrections=tuple(  # only a signed protocol is corrected (a draft is edited)
            Correction(
                row.text,
                row.reason,
                row.created_at,
                row.author.signature_name,
                pk=row.pk,
                number=row.number,
                title=str(row),  # «Исправление № K к протоколу № N от дд.мм.гггг»
                target=row.target,
                agenda_item_pk=row.agenda_item_id,
                decision_pk=row.decision_id,
                new_text=row.new_text,
            )
            for row in (protocol.corrections.all() if protocol.is_signed else ())
        ),
        quorum=protocol.quorum_note,
    )
