"""Organizations of the district and the teachers who work in them."""

from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from communities.models.history import audit_trail

phone_validator = RegexValidator(
    r"^[0-9+()\-\s]{5,20}$", "Телефон может содержать только цифры, пробелы, «+», «-» и скобки."
)


class Organization(models.Model):
    class Kind(models.TextChoices):
        SCHOOL = "school", "Школа"
        KINDERGARTEN = "kindergarten", "Детский сад (ДОУ)"
        SUPPLEMENTARY = "supplementary", "Учреждение дополнительного образования"
        IOC = "ioc", "Информационно-образовательный центр (ИОЦ)"
        DEPARTMENT = "department", "Департамент образования"

    kind = models.CharField("тип", max_length=20, choices=Kind.choices)
    full_name = models.CharField("полное наименование", max_length=500)
    short_name = models.CharField("краткое наименование", max_length=200, unique=True)
    town = models.CharField("населённый пункт", max_length=100, default="г. Тутаев")
    address = models.CharField("адрес", max_length=300, blank=True)
    head_name = models.CharField("руководитель организации", max_length=200, blank=True)
    is_active = models.BooleanField("действует", default=True)

    history = audit_trail()
    # Belongs to no community: its changes are recorded, on no community's history page.
    audit_community_id = None

    class Meta:
        verbose_name = "образовательная организация"
        verbose_name_plural = "организации"
        ordering = ["short_name"]

    def __str__(self):
        return self.short_name


#: The ИОЦ's full name when no active organization of its kind is recorded (a fresh database).
IOC_FULL_NAME = (
    "Муниципальное учреждение дополнительного профессионального образования "
    "«Информационно-образовательный центр» Тутаевского муниципального района"
)

#: Its short name, then (as a signature block names it).
IOC_SHORT_NAME = "МУ ДПО «ИОЦ» ТМР"


def _iocs():
    """The active organizations of the ИОЦ's kind, the first one being the ИОЦ."""
    return Organization.objects.filter(kind=Organization.Kind.IOC, is_active=True).order_by("pk")


def ioc_full_name_subquery() -> models.Subquery:
    """The full name of the ИОЦ, as a subquery to annotate a queryset with (NULL when none is recorded): the
    documents of municipal communities name it (``Community.document_organization_name``)."""
    return models.Subquery(_iocs().values("full_name")[:1])


def ioc_full_name() -> str:
    """The full name of the ИОЦ (one query), IOC_FULL_NAME when none is recorded."""
    return _iocs().values_list("full_name", flat=True).first() or IOC_FULL_NAME


def ioc_short_name() -> str:
    """The short name of the ИОЦ (one query), IOC_SHORT_NAME when none is recorded."""
    return _iocs().values_list("short_name", flat=True).first() or IOC_SHORT_NAME


class TeacherQuerySet(models.QuerySet):
    def members_of(self, community_id: int, day):
        """The teachers who are members of the community on ``day``."""
        from communities.models.communities import Membership  # communities.py imports this module

        return self.filter(
            memberships__in=Membership.objects.active_on(day).filter(community_id=community_id)
        ).distinct()

    def search(self, text: str, *, emails: bool = False):
        """Teachers whose surname, name or patronymic (with ``emails``, also the e-mail) contain every word of
        ``text``. Only the teachers' list, where methodists see the addresses, searches them; elsewhere (the
        member-add search a leader uses) an address must not be probed."""
        query = models.Q()
        for word in text.split():
            match = models.Q(surname__icontains=word) | models.Q(name__icontains=word)
            match |= models.Q(patronymic__icontains=word)
            if emails:
                match |= models.Q(email__icontains=word)
            query &= match
        return self.filter(query)

    def matching(self, *, email: str, surname: str, name: str, patronymic: str, organization_id):
        """The teacher a roster row names (the import from Excel matches people instead of duplicating them): by
        e-mail when the row has one and a teacher has it, else by surname, name, patronymic and organization
        (letter case and «ё» aside). ``None`` when no one matches."""
        if email.strip():
            found = self.filter(email__iexact=email.strip()).order_by("pk").first()
            if found is not None:
                return found
        if not (surname.strip() and name.strip() and organization_id):
            return None
        # Compared in Python: SQLite compares letter case of ASCII only, not of Cyrillic.
        candidates = self.filter(organization_id=organization_id)

        def key(*parts):
            return tuple(" ".join(part.split()).lower().replace("ё", "е") for part in parts)

        wanted = key(surname, name, patronymic)
        return next(
            (
                teacher
                for teacher in candidates.order_by("pk")
                if key(teacher.surname, teacher.name, teacher.patronymic) == wanted
            ),
            None,
        )


class Teacher(models.Model):
    """A person who may take part in a community; a login account is optional."""

    class Category(models.TextChoices):
        NONE = "none", "без категории"
        CONFORMITY = "conformity", "соответствие занимаемой должности"
        FIRST = "first", "первая"
        HIGHEST = "highest", "высшая"

    #: The categories from the highest down, as summaries and the annual report list them.
    CATEGORY_ORDER = (Category.HIGHEST, Category.FIRST, Category.CONFORMITY, Category.NONE)

    surname = models.CharField("фамилия", max_length=100)
    name = models.CharField("имя", max_length=100)
    patronymic = models.CharField("отчество", max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization, verbose_name="организация", on_delete=models.PROTECT, related_name="teachers"
    )
    position = models.CharField("должность", max_length=200)
    qualification_category = models.CharField(
        "квалификационная категория", max_length=20, choices=Category.choices, default=Category.NONE
    )
    subjects = models.CharField("предметы, направления", max_length=300, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("телефон", max_length=20, blank=True, validators=[phone_validator])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="учётная запись",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teacher",
    )

    objects = TeacherQuerySet.as_manager()

    history = audit_trail()
    # Belongs to no one community: the changes are recorded, on no community's history page.
    audit_community_id = None

    class Meta:
        verbose_name = "педагог"
        verbose_name_plural = "педагоги"
        ordering = ["surname", "name", "patronymic", "pk"]

    def __str__(self):
        return self.short_name

    @property
    def initials(self) -> str:
        parts = [self.name, self.patronymic]
        return "".join(f"{part.strip()[0]}." for part in parts if part.strip())

    @property
    def short_name(self) -> str:
        """«Фамилия И.О.», as in lists."""
        return f"{self.surname} {self.initials}".strip()

    @property
    def signature_name(self) -> str:
        """«И.О. Фамилия», as under a signature."""
        return f"{self.initials} {self.surname}".strip()

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)

    @property
    def position_label(self) -> str:
        """The position as a list of the composition names it: spaces tidied, a capital first letter lowered
        («учитель начальных классов»), an abbreviation kept («ПДО»), «должность не указана» when empty."""
        label = " ".join(self.position.split()) or "должность не указана"
        if label[:2].istitle():
            label = label[0].lower() + label[1:]
        return label


def category_label(category: str) -> str:
    """A qualification category as a list of the composition names it: «высшая категория», «первая», …"""
    return "высшая категория" if category == Teacher.Category.HIGHEST else str(Teacher.Category(category).label)


def count_by_position(teachers: Iterable[Teacher]) -> list[tuple[str, int]]:
    """The composition by position: (``position_label``, teachers), most first, then alphabetically; positions
    that differ only in case or spacing are one, named as the first of the teachers has it. The plan's
    «состав» summary and the annual report both list this."""
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for teacher in teachers:
        label = teacher.position_label
        counts[label.lower()] += 1
        labels.setdefault(label.lower(), label)
    return [(labels[key], count) for key, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))]


def count_by_category(teachers: Iterable[Teacher]) -> list[tuple[str, int]]:
    """The composition by qualification category: (``category_label``, teachers), the highest category first
    (``Teacher.CATEGORY_ORDER``), categories no one holds left out."""
    counts = Counter(teacher.qualification_category for teacher in teachers)
    return [(category_label(category), counts[category]) for category in Teacher.CATEGORY_ORDER if counts[category]]
