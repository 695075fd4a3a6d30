"""The security apps in the Department's admin, in Russian and only where the Department needs them.

- Locked-out sign-ins (django-axes): the attempts are listed under Russian names; deleting a user's attempts unlocks
  them. The access logs are not shown: sign-ins, lockouts and failures are in the portal's security log.
- The second factor (django-otp): its devices are not shown (the user sets them up in «Настройки входа»); a user who
  lost the phone is helped with the action «Отключить второй фактор» on the users' list.
"""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.admin import IsLockedOutFilter
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from communities.admin.counts import counted
from pos_portal import security_log

for model in (AccessLog, AccessFailureLog, TOTPDevice, AccessAttempt, get_user_model(), Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class LockedOutFilter(IsLockedOutFilter):
    title = "вход заблокирован"


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    list_display = ["username", "ip_address", "attempt_time", "failures_since_start", "status"]
    list_filter = ["attempt_time", LockedOutFilter]
    fieldsets = [
        (None, {"fields": ["username", "failures_since_start", "attempt_time"]}),
        ("Откуда", {"fields": ["ip_address", "browser", "path_info"]}),
    ]
    readonly_fields = ["username", "failures_since_start", "attempt_time", "ip_address", "browser", "path_info"]
    actions = []  # the site's «delete selected» stays: deleting a user's attempts unlocks them

    @admin.display(description="браузер")
    def browser(self, obj):
        return obj.user_agent

    @admin.display(description="состояние")
    def status(self, obj):
        left = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return f"осталось попыток: {left}"
        return "вход заблокирован"


User = get_user_model()

#: What a model's default permission allows, by the first word of its codename.
PERMISSION_ACTIONS = {"add": "добавление", "change": "изменение", "delete": "удаление", "view": "просмотр"}


#: The models of the security apps whose names those apps give in English only.
MODEL_NAMES = {
    "otp_totp.totpdevice": "устройство второго фактора",
    "axes.accessattemptexpiration": "срок блокировки входа",
}


def model_name(model) -> str:
    if model._meta.label_lower in MODEL_NAMES:
        return MODEL_NAMES[model._meta.label_lower]
    recorded = getattr(model, "instance_type", None)  # a model of the audit trail (django-simple-history)
    if recorded is not None:
        return f"история изменений: {recorded._meta.verbose_name}"
    return str(model._meta.verbose_name)


def permission_label(permission) -> str:
    """«Сообщества (ПОС) | педагог | изменение» instead of the stored «Can change педагог»; a permission of the
    project's own is named as declared."""
    model = permission.content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in PERMISSION_ACTIONS or permission.codename != f"{action}_{model._meta.model_name}":
        return str(permission)
    return f"{model._meta.app_config.verbose_name} | {model_name(model)} | {PERMISSION_ACTIONS[action]}"


class RussianPermissionsMixin:
    """Permissions listed in Russian in the user's and the group's forms."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


@admin.register(Group)
class GroupAdmin(RussianPermissionsMixin, DjangoGroupAdmin):
    pass


@admin.register(User)
class UserAdmin(RussianPermissionsMixin, DjangoUserAdmin):
    actions = ["second_factor_off"]

    @admin.action(description="Отключить второй фактор входа (потерян телефон)", permissions=["change"])
    def second_factor_off(self, request, queryset):
        users = list(queryset)
        TOTPDevice.objects.filter(user__in=users).delete()
        for user in users:
            security_log.event("otp_disabled", request=request, user=user, by=request.user.get_username())
        self.message_user(
            request, f"Второй фактор входа отключён: {counted(User._meta, len(users))}.", messages.SUCCESS
        )
