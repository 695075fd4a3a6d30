"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def regulation_list(request, **kwargs):
    raise Http404("Страница в разработке.")


def regulation_detail(request, **kwargs):
    raise Http404("Страница в разработке.")


def regulation_acknowledge(request, **kwargs):
    raise Http404("Страница в разработке.")


def regulation_file(request, **kwargs):
    raise Http404("Страница в разработке.")
