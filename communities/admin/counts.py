"""Counted nouns of the admin in Russian: «1 протокол», «3 протокола», «138 протоколов».

Django's admin counts rows with the model's ``verbose_name`` and ``verbose_name_plural``, which gives two forms where
Russian needs three («138 протоколы», «0 протоколы»). ``NOUN_FORMS`` declares the three forms (one, few, many) of every
model the admin shows, by model label; ``counted`` agrees them with a number through ``pos_portal.russian.plural``.
The changelist counter and the «select all» link (``templates/admin/pagination.html``, ``actions.html``, through the
``admin_counts`` template tags) and the message of the delete action (``delete_selected`` below, the site-wide action)
use it. A model missing here falls back to Django's two forms; a test checks that every registered model is here.
"""

from django.contrib import admin, messages
from django.contrib.admin import actions

from pos_portal.russian import plural

#: Model label → the noun in the forms that agree with 1, 3 and 5.
NOUN_FORMS: dict[str, tuple[str, str, str]] = {
    "communities.organization": ("организация", "организации", "организаций"),
    "communities.teacher": ("педагог", "педагога", "педагогов"),
    "communities.community": ("ПОС", "ПОС", "ПОС"),
    "communities.membership": ("членство в ПОС", "членства в ПОС", "членств в ПОС"),
    "communities.leaderappointment": (
        "приказ о назначении руководителя",
        "приказа о назначении руководителя",
        "приказов о назначении руководителя",
    ),
    "communities.annualplan": ("план работы", "плана работы", "планов работы"),
    "communities.planitem": ("мероприятие плана", "мероприятия плана", "мероприятий плана"),
    "communities.material": ("методический материал", "методических материала", "методических материалов"),
    "communities.regulation": ("положение", "положения", "положений"),
    "communities.acknowledgement": (
        "ознакомление с положением",
        "ознакомления с положением",
        "ознакомлений с положением",
    ),
    "meetings.meeting": ("заседание (мероприятие)", "заседания (мероприятия)", "заседаний (мероприятий)"),
    "meetings.attendance": ("отметка присутствия", "отметки присутствия", "отметок присутствия"),
    "meetings.guest": ("приглашённый", "приглашённых", "приглашённых"),
    "meetings.agendaitem": ("вопрос повестки", "вопроса повестки", "вопросов повестки"),
    "meetings.decision": ("решение", "решения", "решений"),
    "meetings.plandiscussion": (
        "рассмотрение плана на заседании",
        "рассмотрения плана на заседании",
        "рассмотрений плана на заседании",
    ),
    "meetings.assignment": ("поручение", "поручения", "поручений"),
    "meetings.protocol": ("протокол", "протокола", "протоколов"),
    "meetings.protocolcorrection": ("исправление протокола", "исправления протокола", "исправлений протокола"),
    "meetings.protocolreceipt": (
        "ознакомление с протоколом",
        "ознакомления с протоколом",
        "ознакомлений с протоколом",
    ),
    "reports.annualreport": ("отчёт о деятельности", "отчёта о деятельности", "отчётов о деятельности"),
    "reports.protocoldocument": (
        "PDF подписанного протокола",
        "PDF подписанных протоколов",
        "PDF подписанных протоколов",
    ),
    "reports.correctiondocument": (
        "PDF исправления протокола",
        "PDF исправлений протоколов",
        "PDF исправлений протоколов",
    ),
    "django_tasks_database.dbtaskresult": ("задача", "задачи", "задач"),
    "notifications.outbox": ("письмо", "письма", "писем"),
    "auth.user": ("пользователь", "пользователя", "пользователей"),
    "auth.group": ("группа", "группы", "групп"),
    "axes.accessattempt": ("попытка входа", "попытки входа", "попыток входа"),
}


#: Model label → its ``verbose_name`` in the accusative, where that differs («Выберите педагога для изменения»).
ACCUSATIVE: dict[str, str] = {
    "communities.organization": "образовательную организацию",
    "communities.teacher": "педагога",
    "meetings.guest": "приглашённого",
    "django_tasks_database.dbtaskresult": ("задача", "задачи", "задач"),
    "auth.user": "пользователя",
    "auth.group": "группу",
    "axes.accessattempt": "запись о попытке доступа",
}


def changelist_title(title: str, opts) -> str:
    """Django's «Выберите педагог для изменения» with the noun in the accusative."""
    accusative = ACCUSATIVE.get(opts.label_lower)
    return title.replace(str(opts.verbose_name), accusative, 1) if accusative else title


def noun(opts, number: int) -> str:
    """The model's noun (``opts``: a model's ``_meta``) agreeing with ``number``."""
    forms = NOUN_FORMS.get(opts.label_lower)
    if forms is None:
        return str(opts.verbose_name if number == 1 else opts.verbose_name_plural)
    return plural(number, *forms)


def counted(opts, number: int) -> str:
    """«138 протоколов»."""
    return f"{number} {noun(opts, number)}"


@admin.action(permissions=["delete"], description=actions.delete_selected.short_description)
def delete_selected(modeladmin, request, queryset):
    """Django's «delete selected» action with the count in Russian: «Удалено: 3 протокола.» Django's action shows
    the confirmation page, and refuses (protected rows, missing permissions) as before; only the confirmed deletion
    is done here, the same way, so that its message agrees with the number."""
    if request.POST.get("post"):
        _, _, perms_needed, protected = modeladmin.get_deleted_objects(queryset, request)
        if not perms_needed and not protected:
            number = len(queryset)
            if number:
                modeladmin.log_deletions(request, queryset)
                modeladmin.delete_queryset(request, queryset)
                modeladmin.message_user(request, f"Удалено: {counted(modeladmin.opts, number)}.", messages.SUCCESS)
            return None
    return actions.delete_selected(modeladmin, request, queryset)
