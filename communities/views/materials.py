"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def material_add(request, **kwargs):
    raise Http404("Страница в разработке.")


def material_download(request, **kwargs):
    raise Http404("Страница в разработке.")


def material_delete(request, **kwargs):
    raise Http404("Страница в разработке.")
