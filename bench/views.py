"""Bench-only pages (bench/urls.py, never in the portal's URLs): what a page costs with nothing of the portal in
it, to compare the portal's pages with."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET
from weasyprint import HTML

ONE_LINE = "<!doctype html><html lang='ru'><meta charset='utf-8'><p>ПОС-портал: одна строка.</p></html>"


@login_not_required
@require_GET
def ceiling(request):
    """The ceiling: one template through the whole middleware stack, no database (no session or user is read)."""
    return HttpResponse(render_to_string("bench/ceiling.html", {"title": "ПОС-портал", "items": range(10)}))


@require_GET
def signed_in(request):
    """The floor of every portal page: the portal's layout (menu with the user's name) for a signed-in user, with
    no content: the session, the user and the roles read, the base templates rendered."""
    return render(request, "layouts/page.html", {})


@login_not_required
@require_GET
def pdf_floor(request):
    """The floor of a PDF: WeasyPrint rendering a one-line document."""
    return HttpResponse(HTML(string=ONE_LINE).write_pdf(), content_type="application/pdf")
