"""``{% counted cl %}``, ``{% counted_noun cl %}``: a changelist's row count in Russian (communities/admin/counts)."""

from django import template

from communities.admin.counts import changelist_title as title_text
from communities.admin.counts import counted as counted_text
from communities.admin.counts import noun

register = template.Library()


@register.simple_tag
def counted(cl) -> str:
    """«138 протоколов» for a changelist ``cl``."""
    return counted_text(cl.opts, cl.result_count)


@register.simple_tag
def counted_noun(cl) -> str:
    """«протоколов» alone, agreeing with the changelist's row count (as in «Выбрать все 138 протоколов»)."""
    return noun(cl.opts, cl.result_count)


@register.simple_tag
def changelist_title(title, cl) -> str:
    """«Выберите педагога для изменения»."""
    return title_text(str(title), cl.opts)
