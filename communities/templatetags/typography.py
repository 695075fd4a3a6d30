"""Russian typography in templates (pos_portal.typography): ``{{ text|typeset }}`` and ``{{ name|quoted }}``.

Both escape first (whatever the autoescape setting; an already safe string, e.g. from ``linebreaksbr``, is kept as
it is) and only then add no-break spaces or quotes, so user text is never marked safe unescaped.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from pos_portal import typography

register = template.Library()


@register.filter
def typeset(value) -> SafeString:
    return mark_safe(typography.typeset_html(str(conditional_escape(value))))  # noqa: S308 - escaped above


@register.filter
def quoted(value) -> SafeString:
    """The name in «ёлочки», typeset; escaped after quoting (the quotes are plain characters)."""
    return typeset(typography.quoted(str(value)))
