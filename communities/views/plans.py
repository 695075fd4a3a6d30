"""Placeholder views: replaced by the real pages."""

from django.http import Http404


def plan_create(request, **kwargs):
    raise Http404("Страница в разработке.")


def plan_copy(request, **kwargs):
    raise Http404("Страница в разработке.")


def plan_detail(request, **kwargs):
    raise Http404("Страница в разработке.")


def plan_edit(request, **kwargs):
    raise Http404("Страница в разработке.")


def plan_approve(request, **kwargs):
    raise Http404("Страница в разработке.")
