"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def meeting_create(request, **kwargs):
    raise Http404("Страница в разработке.")


def meeting_detail(request, **kwargs):
    raise Http404("Страница в разработке.")


def meeting_edit(request, **kwargs):
    raise Http404("Страница в разработке.")


def meeting_attendance(request, **kwargs):
    raise Http404("Страница в разработке.")
