"""``{% options choices selected %}``: the <option> elements of a long select (a region's 500 organizations) in one
pass in Python; a template loop spends a few milliseconds on every page that shows one."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def options(choices, selected=None):
    """``choices``: (value, label) pairs; the option whose value equals ``selected`` is marked selected. Values and
    labels are escaped by format_html; only the joined, escaped parts are marked safe."""
    parts = [
        format_html('<option value="{}" selected>{}</option>', value, label)
        if value == selected
        else format_html('<option value="{}">{}</option>', value, label)
        for value, label in choices
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
