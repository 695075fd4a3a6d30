"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def dashboard(request, **kwargs):
    raise Http404("Страница в разработке.")


def dashboard_xlsx(request, **kwargs):
    raise Http404("Страница в разработке.")


def district_summary_pdf(request, **kwargs):
    raise Http404("Страница в разработке.")
