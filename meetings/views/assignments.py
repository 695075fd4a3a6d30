"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def my_assignments(request, **kwargs):
    raise Http404("Страница в разработке.")


def community_assignments(request, **kwargs):
    raise Http404("Страница в разработке.")


def assignment_report(request, **kwargs):
    raise Http404("Страница в разработке.")
