"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def teacher_list(request, **kwargs):
    raise Http404("Страница в разработке.")
