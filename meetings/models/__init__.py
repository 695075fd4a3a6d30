from meetings.models.agenda import AgendaItem, Assignment, Decision
from meetings.models.meetings import Attendance, Guest, Meeting
from meetings.models.protocols import Protocol, ProtocolCorrection
from meetings.models.signature_lock import SignedProtocolError
from meetings.models.speakers import Speaker

__all__ = [
    "AgendaItem",
    "Assignment",
    "Attendance",
    "Decision",
    "Guest",
    "Meeting",
    "Protocol",
    "ProtocolCorrection",
    "SignedProtocolError",
    "Speaker",
]
