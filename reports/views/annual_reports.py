"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def annual_report_list(request, **kwargs):
    raise Http404("Страница в разработке.")


def annual_report_detail(request, **kwargs):
    raise Http404("Страница в разработке.")


def annual_report_edit(request, **kwargs):
    raise Http404("Страница в разработке.")


def annual_report_submit(request, **kwargs):
    raise Http404("Страница в разработке.")


def annual_report_review(request, **kwargs):
    raise Http404("Страница в разработке.")


def annual_report_pdf(request, **kwargs):
    raise Http404("Страница в разработке.")
