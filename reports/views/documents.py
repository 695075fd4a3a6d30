"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def protocol_pdf(request, **kwargs):
    raise Http404("Страница в разработке.")


def extract_pdf(request, **kwargs):
    raise Http404("Страница в разработке.")


def plan_pdf(request, **kwargs):
    raise Http404("Страница в разработке.")


def acknowledgement_sheet_pdf(request, **kwargs):
    raise Http404("Страница в разработке.")
