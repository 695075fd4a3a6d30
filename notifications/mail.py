"""The letters: for each kind, what it says (``Letter``), built at sending time from the outbox row's payload (the
pks of what it is about), in Russian, plain text and HTML (templates/notifications/letter.*), from the ИОЦ's
address (``NOTIFICATIONS_FROM_EMAIL``), with a link to the page it is about (``PORTAL_BASE_URL``), a one-click
unsubscribe link and the List-Unsubscribe / List-Unsubscribe-Post headers (RFC 2369, RFC 8058), and the
attachments of its kind: the stored PDF of a signed protocol, the .ics invitation of a meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from notifications import kinds as k
from notifications.kinds import KINDS

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
ALL_KINDS = "*"
SIGNATURE = "Письмо отправлено автоматически ПОС-порталом МУ ДПО «Информационно-образовательный центр» ТМР."


@dataclass
class Letter:
    subject: str
    paragraphs: list[str]
    link: str = ""
    link_label: str = "Открыть на портале"
    extra_links: list[tuple[str, str]] = field(default_factory=list)
    preformatted: str = ""  # a table in a fixed-width font (the weekly digest)
    attachments: list[tuple[str, bytes, str]] = field(default_factory=list)


def absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def unsubscribe_token(user_id: int, kind: str) -> str:
    return signing.dumps({"u": user_id, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user pk, kind) of a token; ``signing.BadSignature`` for a forged or damaged one."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or data.get("k") not in {*KINDS, ALL_KINDS}:
        raise signing.BadSignature("not an unsubscribe token")
    return data["u"], data["k"]


def unsubscribe_url(user_id: int, kind: str) -> str:
    return absolute(reverse("notifications:unsubscribe", args=[unsubscribe_token(user_id, kind)]))


def _date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


# --- What each kind says -------------------------------------------------------------------------------------------


def _assignment(pk: int):
    from meetings.models import Assignment

    return Assignment.objects.select_related("decision__agenda_item__meeting__community", "responsible").get(pk=pk)


def _assignment_link(assignment) -> str:
    return absolute(f"{reverse('meetings:my_assignments')}#assignment-{assignment.pk}")


def assignment_letter(kind: str, payload: dict) -> Letter:
    assignment = _assignment(payload["assignment"])
    meeting = assignment.meeting
    community = meeting.community.name
    text = " ".join(assignment.text.split())
    deadline = _date(assignment.deadline)
    if kind == k.ASSIGNMENT_GIVEN:
        subject = f"Вам дано поручение до {deadline} — «{community}»"
        lead = f"На заседании {_date(meeting.date)} («{community}») вам дано поручение со сроком до {deadline}:"
    elif kind == k.ASSIGNMENT_DUE:
        subject = f"Срок поручения — {deadline} — «{community}»"
        lead = f"До срока поручения ({deadline}) осталось {(assignment.deadline - timezone.localdate()).days} дн.:"
    elif kind == k.ASSIGNMENT_OVERDUE:
        subject = f"Поручение просрочено (срок {deadline}) — «{community}»"
        lead = f"Срок поручения прошёл {deadline}, а отчёта о выполнении нет:"
    else:
        subject = f"Отчёт о поручении возвращён — «{community}»"
        lead = "Руководитель ПОС вернул ваш отчёт о поручении на доработку:"
    paragraphs = [lead, text]
    if kind == k.ASSIGNMENT_RETURNED and assignment.return_comment:
        paragraphs.append(f"Замечание руководителя: {assignment.return_comment}")
    return Letter(subject, paragraphs, _assignment_link(assignment), "Мои поручения")


def _meeting(pk: int):
    from meetings.models import Meeting

    return Meeting.objects.select_related("community").get(pk=pk)


def _when(meeting) -> str:
    when = _date(meeting.date)
    if meeting.time is not None:
        when += f" в {meeting.time:%H:%M}"
    return when


def meeting_letter(kind: str, payload: dict) -> Letter:
    from meetings.calendar import meeting_invitation

    meeting = _meeting(payload["meeting"])
    community = meeting.community.name
    where = meeting.place or meeting.online_link or "место не указано"
    title = f"{meeting.get_form_display()}: {meeting.topic}"
    if kind == k.MEETING_CANCELLED:
        subject = f"Отменено: {meeting.get_form_display().lower()} {_date(meeting.date)} — «{community}»"
        paragraphs = [f"{title} ({_when(meeting)}) отменено.", f"Причина: {meeting.cancel_reason}"]
        method = "CANCEL"
    else:
        verb = "перенесено" if kind == k.MEETING_MOVED else "назначено"
        subject = f"{meeting.get_form_display()} {verb}: {_when(meeting)} — «{community}»"
        paragraphs = [f"{title} — {verb} на {_when(meeting)}.", f"Место: {where}."]
        if meeting.online_link and meeting.place:
            paragraphs.append(f"Онлайн: {meeting.online_link}")
        paragraphs.append("Приглашение во вложении (meeting.ics): откройте его, чтобы добавить заседание в календарь.")
        method = "REQUEST"
    sequence = payload.get("sequence")
    invitation = meeting_invitation(meeting, method=method, sequence=sequence)
    return Letter(
        subject,
        paragraphs,
        absolute(reverse("meetings:detail", args=[meeting.pk])),
        "Страница заседания",
        attachments=[("meeting.ics", invitation, f"text/calendar; charset=utf-8; method={method}")],
    )


def protocol_letter(kind: str, payload: dict) -> Letter:
    from meetings.models import Protocol

    protocol = Protocol.objects.select_related("meeting__community", "signed_by").get(pk=payload["protocol"])
    meeting = protocol.meeting
    community = meeting.community.name
    page = reverse("meetings:detail", args=[meeting.pk])
    attachments = []
    document = getattr(protocol, "document", None)
    if document is not None:
        attachments.append((f"protocol-{protocol.number}.pdf", document.read(), "application/pdf"))
    signer = protocol.signed_by.short_name if protocol.signed_by else "руководитель ПОС"
    return Letter(
        f"Протокол № {protocol.number} от {_date(meeting.date)} подписан — «{community}»",
        [
            f"{signer} подписал(а) протокол № {protocol.number} заседания {_date(meeting.date)}: «{meeting.topic}».",
            "Протокол во вложении (PDF). Прочитайте его и отметьте на портале «Ознакомлен(а) с протоколом».",
        ],
        absolute(page),
        "Открыть протокол",
        extra_links=[("Ознакомлен(а) с протоколом", absolute(f"{page}#receipt"))],
        attachments=attachments,
    )


def protocol_late_letter(kind: str, payload: dict) -> Letter:
    meeting = _meeting(payload["meeting"])
    today = timezone.localdate()
    return Letter(
        f"Протокол просрочен: заседание {_date(meeting.date)} — «{meeting.community.name}»",
        [
            f"Заседание {_date(meeting.date)} «{meeting.topic}» проведено, а протокол не подписан "
            f"(срок — {_date(meeting.protocol_due_date)}, просрочено на {meeting.protocol_days_late(today)} дн.).",
            "Заседание засчитывается по п. 4.2 Положения только с подписанным протоколом.",
        ],
        absolute(reverse("meetings:detail", args=[meeting.pk])),
        "Страница заседания",
    )


def plan_letter(kind: str, payload: dict) -> Letter:
    from communities.models import AnnualPlan

    plan = AnnualPlan.objects.select_related("community").get(pk=payload["plan"])
    name = plan.community.name
    if kind == k.PLAN_APPROVED:
        subject = f"План работы на {plan.academic_year} уч. год утверждён — «{name}»"
        paragraphs = [f"План работы «{name}» на {plan.academic_year} учебный год утверждён."]
    else:
        subject = f"План работы на {plan.academic_year} уч. год возвращён — «{name}»"
        paragraphs = [f"План работы «{name}» на {plan.academic_year} учебный год возвращён на доработку."]
    if payload.get("comment"):
        paragraphs.append(f"Комментарий: {payload['comment']}")
    return Letter(subject, paragraphs, absolute(reverse("communities:plan_detail", args=[plan.pk])), "Открыть план")


def report_letter(kind: str, payload: dict) -> Letter:
    from reports.models import AnnualReport

    report = AnnualReport.objects.select_related("community").get(pk=payload["report"])
    name = report.community.name
    verb = "принят" if kind == k.REPORT_ACCEPTED else "возвращён на доработку"
    paragraphs = [f"Отчёт о деятельности «{name}» за {report.academic_year} учебный год {verb}."]
    comment = payload.get("comment") or report.review_comment
    if comment:
        paragraphs.append(f"Комментарий: {comment}")
    link = reverse("reports:annual_report", args=[report.community_id, report.academic_year.start_year])
    return Letter(f"Отчёт за {report.academic_year} уч. год {verb} — «{name}»", paragraphs, absolute(link), "Отчёт")


def _compliance(payload: dict):
    from pos_portal.academic_year import AcademicYear

    return AcademicYear(payload["year"]), dt.date.fromisoformat(payload["today"])


def compliance_letter(kind: str, payload: dict) -> Letter:
    from communities.models import Community
    from reports.compliance import compliance_for_community
    from reports.management.commands.compliance_report import leader_message

    year, today = _compliance(payload)
    community = Community.objects.get(pk=payload["community"])
    row = compliance_for_community(community, year, today=today)
    if row is None or row.current_leader is None:
        raise Community.DoesNotExist("no row")
    subject, body = leader_message(row, row.current_leader)
    lines = body.split("\n")[1:-2]  # without the greeting and the signature: the template adds them
    return Letter(
        subject, [line for line in lines if line], absolute(reverse("communities:detail", args=[community.pk]))
    )


def weekly_letter(kind: str, payload: dict) -> Letter:
    from reports.compliance import compliance_for_year
    from reports.management.commands.compliance_report import methodist_message, render_report

    year, today = _compliance(payload)
    rows = compliance_for_year(year, today=today)
    subject, body = methodist_message(rows, year, today)
    flagged = body.split("\n\n")[1] if "\n\n" in body else ""
    flagged_count = sum(1 for row in rows if row.is_behind)
    return Letter(
        subject,
        [line for line in flagged.split("\n") if line] or [f"Под угрозой или с нарушением: {flagged_count}."],
        absolute(reverse("reports:dashboard")),
        "Сводка ИОЦ",
        preformatted=render_report(rows, year, today),
    )


def digest_letter(kind: str, payload: dict) -> Letter:
    from notifications.models import Outbox

    rows = Outbox.objects.filter(pk__in=payload["rows"]).order_by("created_at", "pk")
    items = []
    for row in rows:
        try:
            letter = BUILDERS[row.kind](row.kind, row.payload)
        except ObjectDoesNotExist:  # what it was about is gone: left out of the digest
            continue
        items.append((letter.subject, letter.link))
    return Letter(
        f"ПОС-портал: сводка за {_date(timezone.localdate())} — писем: {len(items)}",
        ["Уведомления, которые вы выбрали получать раз в день:"],
        absolute(reverse("notifications:settings")),
        "Настройки уведомлений",
        extra_links=items,
    )


BUILDERS = {
    k.ASSIGNMENT_GIVEN: assignment_letter,
    k.ASSIGNMENT_DUE: assignment_letter,
    k.ASSIGNMENT_OVERDUE: assignment_letter,
    k.ASSIGNMENT_RETURNED: assignment_letter,
    k.MEETING_SCHEDULED: meeting_letter,
    k.MEETING_MOVED: meeting_letter,
    k.MEETING_CANCELLED: meeting_letter,
    k.PROTOCOL_SIGNED: protocol_letter,
    k.PROTOCOL_LATE: protocol_late_letter,
    k.PLAN_APPROVED: plan_letter,
    k.PLAN_RETURNED: plan_letter,
    k.REPORT_ACCEPTED: report_letter,
    k.REPORT_RETURNED: report_letter,
    k.COMPLIANCE_AT_RISK: compliance_letter,
    k.WEEKLY_DIGEST: weekly_letter,
    k.DAILY_DIGEST: digest_letter,
}


def greeting(user) -> str:
    teacher = getattr(user, "teacher", None)
    if teacher is not None:
        name = " ".join(part for part in (teacher.name, teacher.patronymic) if part)
    else:
        name = user.get_full_name()
    return f"Здравствуйте, {name}!" if name else "Здравствуйте!"


def build_message(row, address: str) -> EmailMultiAlternatives:
    """The letter of outbox ``row`` to ``address`` (raises ``ObjectDoesNotExist`` if what it is about is gone)."""
    letter = BUILDERS[row.kind](row.kind, row.payload)
    unsubscribe_kind = ALL_KINDS if row.kind == k.DAILY_DIGEST else row.kind
    unsubscribe = unsubscribe_url(row.recipient_id, unsubscribe_kind)
    context = {
        "letter": letter,
        "greeting": greeting(row.recipient),
        "unsubscribe_url": unsubscribe,
        "kind_label": KINDS[row.kind].label,
        "all_kinds": unsubscribe_kind == ALL_KINDS,
        "settings_url": absolute(reverse("notifications:settings")),
        "signature": SIGNATURE,
    }
    message = EmailMultiAlternatives(
        subject=letter.subject,
        body=render_to_string("notifications/letter.txt", context),
        from_email=settings.NOTIFICATIONS_FROM_EMAIL,
        to=[address],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Message-ID": f"<outbox-{row.pk}@{settings.CALENDAR_UID_DOMAIN}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("notifications/letter.html", context), "text/html")
    for name, content, mimetype in letter.attachments:
        message.attach(name, content, mimetype)
    return message
