"""Signals of the meetings app, for apps that build on it (meetings never imports them).

``protocol_signed(sender=Protocol, protocol=…)`` is sent by ``meetings.services.protocol_sign`` inside the signing
transaction, right after the signature is saved: a receiver that raises rolls the signing back.
"""

import django.dispatch

protocol_signed = django.dispatch.Signal()

# ``meeting_changed(sender=Meeting, meeting=…, change="scheduled"|"moved"|"cancelled", by=user)``: sent after the
# transaction that created a meeting, changed its date, time or place, or cancelled it commits (``on_commit``).
meeting_changed = django.dispatch.Signal()

# ``protocol_corrected(sender=ProtocolCorrection, correction=…)``: sent by ``meetings.services.protocol_correct`` inside
# its transaction, right after the correction is saved (numbered): a receiver that raises undoes the correction.
protocol_corrected = django.dispatch.Signal()

# ``assignment_returned(sender=Assignment, assignment=…, by=user, comment=str)``: sent after the transaction in which
# the leader returned an assignment's report with a comment commits (``on_commit``).
assignment_returned = django.dispatch.Signal()
