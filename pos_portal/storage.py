"""Storage of the static files in production."""

import re

from whitenoise.storage import CompressedManifestStaticFilesStorage

# Any URI scheme (RFC 3986: a letter, then letters, digits, "+", "-", ".").
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed and compressed static files, leaving alone every ``url()`` with a scheme.

    Django skips only schemes of plain letters (``https:``, ``data:``) when it rewrites ``url()`` references
    in CSS to the hashed names, so the PDF stylesheets' ``pos-static:`` URLs (resolved by reports.pdf's own
    fetcher, not by a browser) would make ``collectstatic`` fail.
    """

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            if _SCHEME.match(matchobj["url"]):
                return matchobj["matched"]
            return convert(matchobj)

        return converter
