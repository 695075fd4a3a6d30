"""The kinds of mail the portal sends: what triggers each, who gets it, its subject. The one table that the
settings page «Уведомления», the receivers, the daily job and docs/rules.md («Уведомления») follow."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from meetings.models.meetings import protocol_due_days


@dataclass(frozen=True)
class MailKind:
    code: str
    label: str  # on the settings page
    when: str  # when it is sent, in a teacher's words; {deadline_days} and {protocol_days} are today's settings
    recipients: str
    configurable: bool = True  # a person may turn it off or get it in the daily digest

    @property
    def trigger(self) -> str:
        """When the letter is sent, with the numbers of today's settings («за 3 дня до срока»)."""
        return self.when.format(deadline_days=settings.NOTIFY_DEADLINE_DAYS, protocol_days=protocol_due_days())


ASSIGNMENT_GIVEN = "assignment_given"
ASSIGNMENT_DUE = "assignment_due"
ASSIGNMENT_OVERDUE = "assignment_overdue"
ASSIGNMENT_RETURNED = "assignment_returned"
MEETING_SCHEDULED = "meeting_scheduled"
MEETING_MOVED = "meeting_moved"
MEETING_CANCELLED = "meeting_cancelled"
PROTOCOL_SIGNED = "protocol_signed"
PROTOCOL_LATE = "protocol_late"
PLAN_APPROVED = "plan_approved"
PLAN_RETURNED = "plan_returned"
REPORT_ACCEPTED = "report_accepted"
REPORT_RETURNED = "report_returned"
COMPLIANCE_AT_RISK = "compliance_at_risk"
WEEKLY_DIGEST = "weekly_digest"
DAILY_DIGEST = "daily_digest"

KINDS: dict[str, MailKind] = {
    kind.code: kind
    for kind in (
        MailKind(
            ASSIGNMENT_GIVEN,
            "Вам дано поручение",
            "подписан протокол, в котором дано поручение",
            "ответственный за поручение",
        ),
        MailKind(
            ASSIGNMENT_DUE,
            "Срок поручения скоро",
            "за {deadline_days} дн. до срока поручения, которое ещё в работе (утром)",
            "ответственный за поручение",
        ),
        MailKind(
            ASSIGNMENT_OVERDUE,
            "Поручение просрочено",
            "срок поручения прошёл, а оно ещё в работе (утром, один раз на срок)",
            "ответственный за поручение",
        ),
        MailKind(
            ASSIGNMENT_RETURNED,
            "Отчёт о поручении возвращён",
            "руководитель вернул отчёт о поручении с замечанием",
            "ответственный за поручение",
        ),
        MailKind(
            MEETING_SCHEDULED,
            "Назначено заседание",
            "назначено предстоящее заседание (с приглашением в календарь)",
            "члены ПОС на дату заседания, кроме того, кто его создал",
        ),
        MailKind(
            MEETING_MOVED,
            "Заседание перенесено",
            "у предстоящего заседания изменились дата, время или место (календарь обновится)",
            "члены ПОС на дату заседания, кроме того, кто изменил",
        ),
        MailKind(
            MEETING_CANCELLED,
            "Заседание отменено",
            "предстоящее заседание отменено (событие уйдёт из календаря)",
            "члены ПОС на дату заседания, кроме того, кто отменил",
        ),
        MailKind(
            PROTOCOL_SIGNED,
            "Протокол подписан",
            "руководитель подписал протокол (ссылка, PDF во вложении, ссылка «Ознакомлен(а) с протоколом»)",
            "все текущие члены ПОС, кроме подписавшего",
        ),
        MailKind(
            PROTOCOL_LATE,
            "Протокол просрочен",
            "протокол проведённого заседания не подписан через {protocol_days} дн. (утром, один раз на заседание)",
            "руководитель ПОС",
        ),
        MailKind(
            PLAN_APPROVED, "План утверждён", "методист ИОЦ или Департамент утвердил план работы", "руководитель ПОС"
        ),
        MailKind(
            PLAN_RETURNED, "План возвращён", "план работы возвращён руководителю с замечанием", "руководитель ПОС"
        ),
        MailKind(
            REPORT_ACCEPTED, "Отчёт за год принят", "ИОЦ принял отчёт о деятельности за учебный год", "руководитель ПОС"
        ),
        MailKind(
            REPORT_RETURNED,
            "Отчёт за год возвращён",
            "ИОЦ вернул отчёт о деятельности с замечанием",
            "руководитель ПОС",
        ),
        MailKind(
            COMPLIANCE_AT_RISK,
            "Соблюдение п. 4.2 под угрозой",
            "по понедельникам, когда ПОС «под угрозой» или «нарушено» по п. 4.2",
            "руководитель такого ПОС",
        ),
        MailKind(
            WEEKLY_DIGEST,
            "Еженедельная сводка района",
            "по понедельникам: сводка района по п. 4.2",
            "методисты ИОЦ",
        ),
        MailKind(
            DAILY_DIGEST,
            "Ежедневная сводка",
            "раз в день, утром: письма, которые вы выбрали получать раз в день, одним письмом",
            "тот, кто выбрал «раз в день»",
            configurable=False,
        ),
    )
}

CHOICES = [(kind.code, kind.label) for kind in KINDS.values()]


def configurable() -> list[MailKind]:
    return [kind for kind in KINDS.values() if kind.configurable]
