"""Who a document names as approving, accepting or compiling it — «УТВЕРЖДАЮ» of a plan, «Принят: …» of an annual
report, the signature and «Исполнитель» of the district summary — read from one person in one way.

A user with a teacher's card is named by it: position, organization, name and phone. An account without one (the
Department's or a methodist's staff account) is a methodist of the ИОЦ or someone of the Department, named by the
account, with the district body's short name from the directory (or the name in the regulation, when none is
recorded).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import capfirst

from communities.models import Organization, Teacher, ioc_short_name
from pos_portal.roles import is_methodist

DEPARTMENT_TITLE = "Департамент образования АТМР"


def department_name() -> str:
    """The short name of the district's Department, or its name in the regulation."""
    departments = Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, is_active=True).order_by("pk")
    return departments.values_list("short_name", flat=True).first() or DEPARTMENT_TITLE


@dataclass(frozen=True)
class Signatory:
    name: str  # «Фамилия И.О.»
    signature_name: str  # «И.О. Фамилия», as under a signature
    position: str = ""  # as on the card: «методист»
    organization: str = ""  # short name: «МУ ДПО «ИОЦ» ТМР»
    phone: str = ""

    @classmethod
    def of(cls, user) -> Signatory:
        teacher = (
            Teacher.objects.filter(user_id=user.pk)
            .select_related("organization")
            .only("surname", "name", "patronymic", "position", "phone", "organization__short_name")
            .first()
        )
        if teacher is not None:
            organization = teacher.organization.short_name if teacher.organization_id else ""
            position = " ".join(teacher.position.split())
            return cls(teacher.short_name, teacher.signature_name, position, organization, teacher.phone)
        first, last = user.first_name.strip(), user.last_name.strip()
        signature = f"{first[0]}. {last}" if first and last else (user.get_full_name().strip() or user.get_username())
        name = f"{last} {first[0]}." if first and last else signature
        if is_methodist(user):
            return cls(name, signature, "методист", ioc_short_name())
        return cls(name, signature, "", department_name())

    @property
    def position_title(self) -> str:
        """The position as a signature block starts it: «Методист»."""
        return capfirst(self.position)

    @property
    def title(self) -> str:
        """«методист, МУ ДПО «ИОЦ» ТМР»: position and organization, as «Принят: …» prints them."""
        return ", ".join(part for part in (self.position, self.organization) if part)

    @property
    def line(self) -> str:
        """«Исполнитель: Фамилия И.О., тел. …» (no phone on the card: none printed)."""
        return f"Исполнитель: {self.name}" + (f", тел.\u00a0{self.phone}" if self.phone else "")

    def parts(self) -> list[str]:
        """The fields, for a task's arguments and a cache key (``Signatory(*parts)`` gives it back)."""
        return [self.name, self.signature_name, self.position, self.organization, self.phone]
