"""The public check of a printed document (no sign-in): ``/check/<code>/`` — the address in the QR code of every
stored signed document (``reports.models.verification``) — confirms its kind, number, date, community, signer and
the SHA-256 of the stored original, and nothing the document does not print itself. ``/check/`` takes a typed code.

A code that finds nothing is counted per address (``pos_portal.rate_limit``, DOCUMENT_CHECK_MISSES per
DOCUMENT_CHECK_WINDOW); an address past the limit is refused (429) whatever it asks, so that nobody walks through
the codes.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pos_portal import rate_limit
from pos_portal.security_log import client_ip
from reports.models.verification import CODE_LENGTH, find_document, grouped, normalize_code

SCOPE = "document_check_miss"
TEMPLATE = "reports/check.html"


def _address(request) -> str:
    return client_ip(request) or "unknown"


def _throttled(request):
    return render(request, TEMPLATE, {"throttled": True}, status=429)


@login_not_required
@never_cache
@require_http_methods(["GET"])
def document_check_form(request):
    """The form for a typed code; a code given goes to its check page."""
    typed = request.GET.get("code", "")
    if typed:
        code = normalize_code(typed)
        if code is not None:
            return redirect("reports:document_check", code=code)
        context = {"typed": typed[:40], "error": f"Код проверки — {CODE_LENGTH} букв и цифр, как напечатано."}
        return render(request, TEMPLATE, {**context, "form_only": True}, status=400)
    return render(request, TEMPLATE, {"form_only": True})


@login_not_required
@never_cache
@require_http_methods(["GET"])
def document_check(request, code):
    address = _address(request)
    if rate_limit.exceeded(SCOPE, address, limit=settings.DOCUMENT_CHECK_MISSES):
        return _throttled(request)
    normalized = normalize_code(code)
    document = find_document(normalized) if normalized else None
    if document is None:
        rate_limit.allow(SCOPE, address, limit=settings.DOCUMENT_CHECK_MISSES, window=settings.DOCUMENT_CHECK_WINDOW)
        return render(request, TEMPLATE, {"missing": True, "typed": code[:40]}, status=404)
    context = {"facts": document.check_facts(), "code": grouped(normalized)}
    return render(request, TEMPLATE, context)
