"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def member_add(request, **kwargs):
    raise Http404("Страница в разработке.")


def member_edit(request, **kwargs):
    raise Http404("Страница в разработке.")


def member_end(request, **kwargs):
    raise Http404("Страница в разработке.")
