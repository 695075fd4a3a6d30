"""An optional second factor for methodists and the Department: a TOTP code (django-otp) from an authenticator app.

- ``two_factor`` (Настройки входа): a methodist or an administrator starts enrolment (a new, unconfirmed device),
  scans the QR code (an SVG the server draws; the secret and the otpauth:// URI are shown as well) and confirms
  with a code; or turns the second factor off with a current code.
- At sign-in, a user with a confirmed device is signed in by password but ``OTPRequiredMiddleware`` sends every
  request to ``two_factor_verify`` until a valid code is entered; this covers the Django admin as well (the
  admin of a user without a device asks for the password only). Wrong codes are throttled by django-otp and
  logged in the security log.
"""

import logging
from base64 import b32encode

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device, verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from pos_portal import security_log
from pos_portal.qr import qr_svg
from pos_portal.roles import may_use_two_factor, require

# Session key: whether this session has to enter a code before anything else (decided at sign-in).
REQUIRED_KEY = "_pos_otp_required"
DEVICE_NAME = "Приложение-аутентификатор"


def on_login(sender, request, user, **kwargs):
    """``user_logged_in``: decide afresh whether this session needs a code (a user with a confirmed device)."""
    session = getattr(request, "session", None)
    if session is not None:
        session[REQUIRED_KEY] = user_has_device(user, confirmed=True)


class OTPRequiredMiddleware:
    """Sends a signed-in user with a confirmed device to the code page until the session is verified.
    After django_otp.middleware.OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified():
            required = request.session.get(REQUIRED_KEY)
            if required is None:
                required = request.session[REQUIRED_KEY] = user_has_device(user, confirmed=True)
            if required and request.path not in {reverse("two_factor_verify"), reverse("logout")}:
                return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        return self.get_response(request)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Код из приложения",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text="Шесть цифр, которые сейчас показывает приложение-аутентификатор.",
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError("Код состоит только из цифр.")
        return token


WRONG_CODE = "Код неверный или устарел. Введите код, который приложение показывает сейчас."


def _confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _pending_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=False).first()


def _require_eligible(user):
    require(may_use_two_factor(user), "Второй фактор входа подключают методисты ИОЦ и администраторы Департамента.")


@require_http_methods(["GET", "POST"])
def two_factor(request):
    """The second factor of the signed-in user: status, enrolment with the QR code and confirmation."""
    _require_eligible(request.user)
    confirmed = _confirmed_device(request.user)
    pending = None if confirmed else _pending_device(request.user)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and pending is not None and form.is_valid():
        if verify_token(request.user, pending.persistent_id, form.cleaned_data["token"]) is not None:
            pending.confirmed = True
            pending.save(update_fields=["confirmed"])
            otp_login(request, pending)
            request.session[REQUIRED_KEY] = True
            security_log.event("otp_enrolled", request=request)
            messages.success(request, "Второй фактор входа подключён: при входе портал будет спрашивать код.")
            return redirect("two_factor")
        security_log.event("otp_failed", request=request, level=logging.WARNING)
        form.add_error("token", WRONG_CODE)
    context = {"confirmed": confirmed, "pending": pending, "form": form}
    if pending is not None:
        context.update(
            # Drawn by the server from the device's URI; nothing of it is user text.
            qr=mark_safe(qr_svg(pending.config_url)),  # noqa: S308
            config_url=pending.config_url,
            secret=_base32(pending),
        )
    return render(request, "registration/two_factor.html", context)


def _base32(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_POST
def two_factor_start(request):
    """Start enrolment: a new secret (an unconfirmed device), replacing an unfinished one."""
    _require_eligible(request.user)
    if _confirmed_device(request.user) is not None:
        messages.error(request, "Второй фактор уже подключён. Чтобы сменить телефон, сначала отключите его.")
        return redirect("two_factor")
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    return redirect("two_factor")


@require_POST
def two_factor_disable(request):
    """Turn the second factor off: with a current code, so a forgotten open session cannot do it."""
    _require_eligible(request.user)
    device = _confirmed_device(request.user)
    form = TokenForm(request.POST)
    if device is None:
        messages.error(request, "Второй фактор не подключён.")
    elif form.is_valid() and verify_token(request.user, device.persistent_id, form.cleaned_data["token"]):
        TOTPDevice.objects.filter(user=request.user).delete()
        request.session[REQUIRED_KEY] = False
        security_log.event("otp_disabled", request=request)
        messages.success(request, "Второй фактор входа отключён.")
    else:
        security_log.event("otp_failed", request=request, level=logging.WARNING)
        messages.error(request, f"Второй фактор не отключён. {WRONG_CODE}")
    return redirect("two_factor")


@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    """The second step of signing in: the code of the user's device."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("home")
    device = _confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(target)
    form = TokenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        verified = verify_token(request.user, device.persistent_id, form.cleaned_data["token"])
        if verified is not None:
            otp_login(request, verified)
            security_log.event("otp_verified", request=request)
            return redirect(target)
        security_log.event("otp_failed", request=request, level=logging.WARNING)
        form.add_error("token", WRONG_CODE)
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": target})
