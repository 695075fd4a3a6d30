"""The document of a signed protocol on the meeting page, rendered once and kept in the cache.

A signed protocol is a final record (pos_portal/final_records.py): its questions, decisions, attendance and
signatures never change, only corrections are added to it and its PDF is stored once. So the part of the meeting page
that shows it (templates/meetings/partials/protocol_document.html: the document, the SHA-256 of the stored PDF and
the corrections) is the same for every reader until one of those changes, and is cached under a key made of them:
the protocol's pk and signing time, the number and the latest pk of its corrections, and the hash of its stored PDF
(the release is in every key of the cache, pos_portal/release.py). A reader then gets the page without the
document's rows read and without the document rendered.

The cache holds only this part, looked up after the page has checked the reader's access; it is rendered by the
templates like any page (user text escaped). It is not keyed by the data version (communities.data_version): nothing
it shows changes with the district's data, and a name changed since the signing (a teacher's, the community's) is
shown once the entry expires (``REPORTS_CACHE_SECONDS``) or the code changes, as the stored PDF keeps it as signed.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from meetings.models import Protocol
from meetings.protocol_content import page_prefetches, protocol_content

TEMPLATE = "meetings/partials/protocol_document.html"


def cache_key(protocol) -> str:
    """What the signed document shows besides the final record: its corrections and its stored PDF (one query)."""
    state = (
        Protocol.objects.filter(pk=protocol.pk)
        .annotate(corrections_count=Count("corrections"), latest_correction=Max("corrections__pk"))
        .values_list("corrections_count", "latest_correction", "document__sha256")
        .first()
    )
    return "signed-protocol:" + ":".join(str(part) for part in (protocol.pk, protocol.signed_at.isoformat(), *state))


def render_document(meeting) -> SafeString:
    """The document part of the page of ``meeting`` (its rows are read now if its queryset did not)."""
    prefetch_related_objects([meeting], *page_prefetches())
    context = {"doc": protocol_content(meeting), "protocol": meeting.protocol, "meeting": meeting, "can_edit": False}
    return render_to_string(TEMPLATE, context)


def signed_document(meeting) -> SafeString:
    """The rendered document of the signed protocol of ``meeting`` (loaded with
    ``protocol_content.meeting_head_queryset``, its community set), from the cache or rendered and stored."""
    key = cache_key(meeting.protocol)
    html = cache.get(key)
    if html is None:
        html = render_document(meeting)
        cache.set(key, html, settings.REPORTS_CACHE_SECONDS)
    return html
