"""The security log: sign-ins, failed sign-ins, lock-outs, refusals (403), ended sessions and protocol signings.

One line per event on the logger ``pos.security`` (settings.LOGGING: stderr, hence the systemd journal, or the file
``SECURITY_LOG_FILE``)::

    time=2026-03-02T07:15:04.120Z event=login_failed user="ivanova" ip=10.0.4.17 path="/accounts/login/"

The time is UTC. The address is the client's (behind nginx, with ``BEHIND_PROXY=1``, the one nginx puts in
X-Real-IP). Every value that may come from a user is quoted with backslash escapes for ``\\``, ``"``, and every
control or line-separating character (CR, LF, NEL, U+2028…), so that no input can end a line and forge another;
the formatter escapes control characters of any message again.

Connected by ``communities.apps`` (sign-in signals of Django and django-axes) and ``meetings.apps`` (its receiver
of the signing signal calls ``event_on_commit``; this module imports no app); the middleware logs every 403 and
gives the other events the request they happen in.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import re
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction

logger = logging.getLogger("pos.security")

_current_request: ContextVar = ContextVar("pos_security_request", default=None)

# C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_control(match: re.Match) -> str:
    char = match.group(0)
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def escape_controls(text: str) -> str:
    return _CONTROL.sub(_escape_control, text)


def quote(value) -> str:
    """A value as one token of a log line: in double quotes, nothing in it can end the line or the token."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escape_controls(text)}"'


def client_ip(request) -> str | None:
    """The client's address, or None when unknown. Behind the proxy (BEHIND_PROXY=1) it is the X-Real-IP nginx
    sets (overwriting what a client sent), else the last X-Forwarded-For hop; otherwise the connection's peer.
    Also django-axes' AXES_CLIENT_IP_CALLABLE."""
    if request is None:
        return None
    meta = request.META
    address = meta.get("REMOTE_ADDR", "")
    if getattr(settings, "BEHIND_PROXY", False):
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1]
        address = meta.get("HTTP_X_REAL_IP", "") or forwarded or address
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def event(name: str, *, request=None, user=None, username=None, level=logging.INFO, **fields) -> None:
    """Log one security event. ``user`` (or the request's user) names who; ``username`` names an attempted login."""
    request = request if request is not None else _current_request.get()
    if username is None:
        if user is None and request is not None:
            user = getattr(request, "user", None)
        username = user.get_username() if user is not None and user.is_authenticated else "-"
    parts = [f"time={_utc_now()}", f"event={name}", f"user={quote(username)}", f"ip={client_ip(request) or '-'}"]
    if request is not None:
        parts.append(f"path={quote(request.path)}")
    parts += [f"{key}={quote(value)}" for key, value in fields.items()]
    logger.log(level, "%s", " ".join(parts))


class SecurityFormatter(logging.Formatter):
    """``LEVEL pos.security message``, with every control character of the message escaped."""

    def __init__(self):
        super().__init__("%(levelname)s %(name)s %(message)s")

    def format(self, record):
        return escape_controls(super().format(record))


class SecurityLogMiddleware:
    """Logs every refused request (403: permission, CSRF) and makes the request known to events raised deeper
    (a signing). After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code == 403:
                event("forbidden", request=request, level=logging.WARNING, method=request.method)
            return response
        finally:
            _current_request.reset(token)


# --- receivers ----------------------------------------------------------------------------------------------------


def logged_in(sender, request, user, **kwargs):
    event("login", request=request, user=user)


def logged_out(sender, request, user, **kwargs):
    event("logout", request=request, user=user)


def login_failed(sender, credentials, request=None, **kwargs):
    event("login_failed", request=request, username=credentials.get("username", "-"), level=logging.WARNING)


def locked_out(sender, request, username, ip_address, **kwargs):
    """``by`` names the count that locked (pos_portal/login_throttle.py): account_address, account or address."""
    scope = getattr(request, "pos_lockout_scope", None) or "-"
    event("lockout", request=request, username=username or "-", level=logging.WARNING, by=scope)


def event_on_commit(name: str, *, user=None, **fields) -> None:
    """``event`` once the current transaction commits (nothing is logged if it rolls back), with the request it
    happens in; ``user`` is used only when there is no request (a management command). For an app's own signals:
    the app connects a receiver that calls this (``meetings.apps``: protocol signings)."""
    request = _current_request.get()
    if request is not None:
        user = request.user
    transaction.on_commit(lambda: event(name, request=request, user=user, **fields))


def connect_auth_signals() -> None:
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    user_logged_in.connect(logged_in, dispatch_uid="pos_security_login")
    user_logged_out.connect(logged_out, dispatch_uid="pos_security_logout")
    user_login_failed.connect(login_failed, dispatch_uid="pos_security_login_failed")
    user_locked_out.connect(locked_out, dispatch_uid="pos_security_lockout")
