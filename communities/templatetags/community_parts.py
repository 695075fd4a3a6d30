"""``{% community_parts "slot" community year access %}``: what the apps above add to a slot of the community page
(``communities.page_parts``); ``access`` is the reader's ``CommunityAccess``."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join

from communities import page_parts

register = template.Library()


@register.simple_tag
def community_parts(slot, community, year=None, access=None):
    rendered = (
        render_to_string(name, context)
        for name, context in (part(community, year, access) for part in page_parts.parts(slot))
    )
    return format_html_join("", "{}", ((html,) for html in rendered))
