"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def community_list(request, **kwargs):
    raise Http404("Страница в разработке.")


def community_create(request, **kwargs):
    raise Http404("Страница в разработке.")


def community_detail(request, **kwargs):
    raise Http404("Страница в разработке.")


def community_edit(request, **kwargs):
    raise Http404("Страница в разработке.")
