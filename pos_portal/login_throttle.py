"""How many failed sign-ins lock what: the django-axes handler of the portal (settings.AXES_HANDLER).

Three counts over the cool-off window (AXES_COOLOFF_TIME), each with its own limit:

- one account from one address (AXES_FAILURE_LIMIT, 5): the usual lockout. An outsider who guesses from elsewhere
  locks only their own pair; the owner still signs in from their school.
- one account from any address (LOGIN_FAILURES_PER_ACCOUNT, 20): a guess spread over many addresses. Only an
  outsider with several addresses can impose this one, and only for the window.
- one address, any account (LOGIN_FAILURES_PER_ADDRESS, 30): password spraying. A school's teachers share one
  address, so the limit is far above what a staff room mistypes in a quarter of an hour.

django-axes compares the largest count of its parameter sets with one limit; ``get_failures`` therefore answers how
near the nearest limit is, in units of AXES_FAILURE_LIMIT (it reaches that limit exactly when one count reaches
its own). Failures while locked are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False), so a locked
pair cannot push its account over the per-account limit. A successful sign-in clears the failures of its own pair
only: signing in to one's own account does not wipe a spray from the same address.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

# What each parameter set of AXES_LOCKOUT_PARAMETERS counts, as the security log names it.
SCOPES = {("username", "ip_address"): "account_address", ("username",): "account", ("ip_address",): "address"}


def scope_limit(scope: str) -> int:
    return {
        "account_address": settings.AXES_FAILURE_LIMIT,
        "account": settings.LOGIN_FAILURES_PER_ACCOUNT,
        "address": settings.LOGIN_FAILURES_PER_ADDRESS,
    }[scope]


def _scope(parameter) -> str:
    return SCOPES[tuple([parameter] if isinstance(parameter, str) else parameter)]


class PortalAxesHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        parameters = get_lockout_parameters(request, credentials)
        counts = []
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            scope = _scope(parameter)
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            # This scope's failures, shifted so that its own limit lands on the pair's limit.
            counts.append((failures - scope_limit(scope) + settings.AXES_FAILURE_LIMIT, scope))
        nearest, scope = max(counts)
        # The security log names the count that locked (pos_portal.security_log.locked_out).
        request.pos_lockout_scope = scope
        return max(nearest, 0)

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
