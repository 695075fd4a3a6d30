"""Receivers of meetings' own signals, connected in ``meetings.apps``."""

from pos_portal import security_log


def log_protocol_signed(sender, protocol, **kwargs):
    """``meetings.signals.protocol_signed``: a line in the security log once the signing transaction commits."""
    signer = protocol.signed_by
    security_log.event_on_commit(
        "protocol_signed",
        user=getattr(signer, "user", None),
        protocol=protocol.pk,
        number=protocol.number,
        community=protocol.community_id,
        signed_by=signer.short_name if signer else "-",
    )
