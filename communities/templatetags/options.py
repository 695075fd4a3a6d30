"""``{% options choices selected %}``: the <option> elements of a long select (a region's 500 organizations) in one
pass in Python; a template loop spends a few milliseconds on every page that shows one."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def options(choices, selected=None):
    """``choices``: (value, label) pairs; the option whose value equals ``selected`` is marked selected. Values and
    labels are escaped; only the joined, escaped parts are marked safe."""
    parts = [
        f'<option value="{escape(value)}"{" selected" if value == selected else ""}>{escape(label)}</option>'
        for value, label in choices
    ]
    return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above
