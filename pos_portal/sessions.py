"""How long a sign-in lasts: an absolute lifetime and an idle timeout.

- **Absolute lifetime** (``SESSION_COOKIE_AGE``, 12 hours by default): fixed at sign-in (``on_login``), it does not
  move however busy the session is; then the user signs in again.
- **Idle timeout** (``SESSION_IDLE_TIMEOUT``, 30 minutes by default): a session with no request for that long is
  ended by ``SessionIdleTimeoutMiddleware`` at its next request, which goes to the sign-in page.

A password change ends the user's other sessions (Django keeps a hash of the password in each session and drops a
session whose hash no longer matches; the session that changed the password is kept by ``update_session_auth_hash``),
and so does deactivating the account (the authentication backend refuses inactive users on every request).
Sessions are stored in the database, so they hold across app servers.
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone

from pos_portal import security_log

LAST_ACTIVITY_KEY = "_pos_last_activity"
# A session is written at most this often just to note activity (not at every request).
ACTIVITY_RESOLUTION = 60


def on_login(sender, request, user, **kwargs):
    """``user_logged_in``: the session ends SESSION_COOKIE_AGE from now at the latest, and starts its idle clock."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = timezone.now()
    session.set_expiry(now + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE))
    session[LAST_ACTIVITY_KEY] = int(now.timestamp())


class SessionIdleTimeoutMiddleware:
    """Ends a signed-in session idle for longer than SESSION_IDLE_TIMEOUT. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                security_log.event("session_idle_timeout", request=request, user=request.user)
                logout(request)
                login_url = f"{reverse(settings.LOGIN_URL)}?{urlencode({'idle': 1})}"
                return redirect_to_login(request.get_full_path(), login_url)
            if last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)
