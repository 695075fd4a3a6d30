"""«Уведомления»: what a person gets (each kind on or off, at once or in the daily digest), and the one-click
unsubscribe of every letter (a signed token: no login needed; GET asks, POST unsubscribes — RFC 8058's one-click
POST from a mail client carries no CSRF token, the signed token is the proof)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.kinds import KINDS, configurable
from notifications.mail import ALL_KINDS, read_unsubscribe_token
from notifications.models import Delivery, Preference
from notifications.recipients import address_of


class PreferencesForm(forms.Form):
    """Two fields per kind: ``<kind>-enabled`` and ``<kind>-delivery``."""

    def __init__(self, *args, preferences: dict[str, Preference], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for kind in configurable():
            pref = preferences.get(kind.code)
            self.fields[f"{kind.code}-enabled"] = forms.BooleanField(
                label=kind.label, required=False, initial=pref.enabled if pref else True
            )
            self.fields[f"{kind.code}-delivery"] = forms.ChoiceField(
                label="Когда", choices=Delivery.choices, initial=pref.delivery if pref else Delivery.IMMEDIATE
            )
            self.rows.append((kind, self[f"{kind.code}-enabled"], self[f"{kind.code}-delivery"]))

    def save(self, user) -> None:
        with transaction.atomic():
            for kind in configurable():
                Preference.objects.update_or_create(
                    user=user,
                    kind=kind.code,
                    defaults={
                        "enabled": self.cleaned_data[f"{kind.code}-enabled"],
                        "delivery": self.cleaned_data[f"{kind.code}-delivery"],
                    },
                )


@require_http_methods(["GET", "POST"])
def notification_settings(request):
    preferences = {pref.kind: pref for pref in Preference.objects.filter(user=request.user)}
    form = PreferencesForm(request.POST or None, preferences=preferences)
    if request.method == "POST" and form.is_valid():
        form.save(request.user)
        messages.success(request, "Настройки уведомлений сохранены.")
        return redirect("notifications:settings")
    user = get_user_model().objects.select_related("teacher").get(pk=request.user.pk)
    return render(request, "notifications/settings.html", {"form": form, "address": address_of(user)})


def _unsubscribe(user, kind: str) -> list[str]:
    codes = [item.code for item in configurable()] if kind == ALL_KINDS else [kind]
    for code in codes:
        Preference.objects.update_or_create(user=user, kind=code, defaults={"enabled": False})
    return [KINDS[code].label for code in codes]


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    try:
        user_pk, kind = read_unsubscribe_token(token)
        user = get_user_model().objects.get(pk=user_pk)
    except (signing.BadSignature, get_user_model().DoesNotExist):
        raise Http404("Ссылка для отписки недействительна.") from None
    if kind != ALL_KINDS and not KINDS[kind].configurable:
        kind = ALL_KINDS
    label = "все письма портала" if kind == ALL_KINDS else f"письма «{KINDS[kind].label}»"
    if request.method == "POST":
        with transaction.atomic():
            _unsubscribe(user, kind)
        return render(request, "notifications/unsubscribe.html", {"done": True, "label": label})
    return render(request, "notifications/unsubscribe.html", {"done": False, "label": label})
