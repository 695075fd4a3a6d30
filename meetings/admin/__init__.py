"""The Django admin of meetings and protocols. Signed protocols and everything they freeze are
shown read-only (see ``locks`` and ``meetings.models.signature_lock``); protocols are numbered by
``meetings.services.protocol_create`` and signed only by the leader, in the portal."""

from meetings.admin import agenda, meetings, protocols, receipts

__all__ = ["agenda", "meetings", "protocols", "receipts"]
