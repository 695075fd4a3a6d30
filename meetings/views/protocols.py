"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def agenda_item_add(request, **kwargs):
    raise Http404("Страница в разработке.")


def agenda_item_edit(request, **kwargs):
    raise Http404("Страница в разработке.")


def agenda_item_delete(request, **kwargs):
    raise Http404("Страница в разработке.")


def protocol_sign(request, **kwargs):
    raise Http404("Страница в разработке.")


def protocol_correction(request, **kwargs):
    raise Http404("Страница в разработке.")
