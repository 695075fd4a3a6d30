"""Input no honest form sends is answered 400: a NUL character in a query-string or form value (or name), and a
formset's management data that is not a count (``agenda-INITIAL_FORMS=-1``, more initial forms than forms).

PostgreSQL refuses NUL in every text value (``ValueError: A string literal cannot contain NUL``), so a search
``?q=%00`` or a posted ``a\\x00b`` would become a server error wherever it reaches a query; no honest form sends it.
One middleware rejects it for every page instead of each form cleaning it. Uploaded files' contents are not
looked at (they are bytes, checked by the upload validators).

Django trusts a formset's ``INITIAL_FORMS``: a negative one makes every row but the last "existing" and the save
fail in the database. The counts are checked here once, for the portal's formsets and the admin's inlines alike.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"
TOTAL, INITIAL = "-TOTAL_FORMS", "-INITIAL_FORMS"


def _has_nul(query_dict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


def _count(value) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 6 else None


def _bad_management_data(post) -> bool:
    """A formset's counts that are not whole numbers, or more initial forms than forms."""
    for key in post:
        if key.endswith(TOTAL):
            total, initial = _count(post[key]), post.get(key[: -len(TOTAL)] + INITIAL)
            if total is None or (initial is not None and (_count(initial) is None or _count(initial) > total)):
                return True
        elif key.endswith(INITIAL) and _count(post[key]) is None:
            return True
    return False


class RejectBadInputMiddleware:
    """400 (templates/400.html) for a request with NUL in a GET or POST name or value, or with a formset's
    management data that is not a count."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
            raise BadRequest("NUL character in the request's parameters")
        if request.method == "POST" and _bad_management_data(request.POST):
            raise BadRequest("A formset's management data is not a count")
        return self.get_response(request)


def row_id(value) -> int | None:
    """An id from a query string (``?organization=12``): the number, or None when it is not one a row can have
    (not a number, not positive, or past the 64-bit ids of the database), so a filter on it never fails."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None
