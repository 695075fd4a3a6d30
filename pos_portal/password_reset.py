"""The password reset, with a limit per address and per e-mail: a flood of requests sends no flood of letters.

Past either limit the letter is not sent, and the answer is the same page as always (as Django's answer is the
same whether or not the e-mail belongs to anyone): nobody learns from it whether an address exists or is limited.
The refusal goes to the security log.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect

from pos_portal import rate_limit, security_log


def reset_allowed(request, email: str) -> bool:
    """Count this request for its address and its e-mail; whether both are within their limits."""
    window = settings.PASSWORD_RESET_WINDOW
    by_address = rate_limit.allow(
        "password_reset_address",
        security_log.client_ip(request) or "-",
        limit=settings.PASSWORD_RESETS_PER_ADDRESS,
        window=window,
    )
    by_email = rate_limit.allow(
        "password_reset_email", email.strip().casefold(), limit=settings.PASSWORD_RESETS_PER_EMAIL, window=window
    )
    return by_address and by_email


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        if reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        security_log.event("password_reset_limited", request=self.request, level=logging.WARNING)
        return HttpResponseRedirect(self.get_success_url())
