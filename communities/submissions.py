"""A form that creates something creates it once: a double click on «Сохранить», or the same form sent again from
the browser's history, does not make a second meeting, correction, question, material or member.

The mechanism, used by every create view of every app:

- the form carries a one-time token, new on every render: ``{% submission_token %}`` (``{% load submissions %}``)
  next to ``{% csrf_token %}``;
- the view is decorated with ``@submitted_once``. A POST with a token first records the token
  (``FormSubmission``, unique per user), then runs the view in the same transaction. A view that saved answers
  with a redirect, and the token keeps where it led; a view that did not (a form with errors, a redirect with an
  error message) leaves no trace, and the same form may be sent again;
- a second POST with the same token finds the row and goes where the first one led, with «Уже сохранено». Two
  POSTs at the same moment (PostgreSQL): the second one's insert waits on the unique constraint until the first
  commits, then fails, and is answered the same way; its view never runs.

A POST without a token (a form rendered before this rule, a test posting directly) is saved as before. Tokens are
kept for a day (``KEPT_FOR``); older ones are deleted after each saved submission.
"""

import datetime as dt
import uuid
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from communities.models import FormSubmission

FIELD = "submission_token"
KEPT_FOR = dt.timedelta(days=1)
ALREADY_SAVED_MESSAGE = "Уже сохранено: форма была отправлена повторно, второй раз ничего не добавлено."


def new_token() -> str:
    return uuid.uuid4().hex


def posted_token(request) -> uuid.UUID | None:
    """The token of a POST, or None (no token, not a token, or a request that is not a signed-in user's POST)."""
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _saved(request, response, messages_before: int) -> bool:
    """Whether the view saved: it answered with a redirect (or with a part of a page, to htmx, naming the page
    of what it saved in ``submission_url``) and said no error on the way."""
    if response.status_code not in (301, 302, 303, 307, 308) and not getattr(response, "submission_url", None):
        return False
    storage = messages.get_messages(request)
    used = storage.used
    added = list(storage)[messages_before:]
    storage.used = used  # reading them here does not consume them (Django's documented idiom)
    return all(message.level < messages.ERROR for message in added)


def _already_saved(request, token):
    earlier = FormSubmission.objects.filter(user=request.user, token=token).first()
    messages.info(request, ALREADY_SAVED_MESSAGE)
    # The row is there (its unique constraint refused this one); the home page only if it has just expired.
    url = earlier.url if earlier is not None and earlier.url else "/"
    if request.headers.get("HX-Request") == "true":  # htmx: the whole page goes there, not a part of it
        return HttpResponse(status=204, headers={"HX-Redirect": url})
    return redirect(url)


def forget_old_submissions(now=None) -> int:
    """Delete the tokens older than ``KEPT_FOR``; the number deleted."""
    deleted, _ = FormSubmission.objects.filter(created_at__lt=(now or timezone.now()) - KEPT_FOR).delete()
    return deleted


def submitted_once(view):
    """The create view ``view``, safe against a second POST of the same rendered form (see the module)."""

    @wraps(view)
    def once(request, *args, **kwargs):
        token = posted_token(request)
        if token is None:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    submission = FormSubmission.objects.create(user=request.user, token=token)
            except IntegrityError:
                return _already_saved(request, token)
            messages_before = len(messages.get_messages(request))
            response = view(request, *args, **kwargs)
            if _saved(request, response, messages_before):
                submission.url = getattr(response, "submission_url", None) or response["Location"]
                submission.save(update_fields=["url"])
                transaction.on_commit(forget_old_submissions)
            else:
                submission.delete()
        return response

    return once
