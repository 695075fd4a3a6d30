from meetings.models.agenda import AgendaItem, Assignment, DeadlineChange, Decision
from meetings.models.calendar_feeds import CalendarFeed
from meetings.models.follow_up import FOLLOW_UP_QUESTION, FollowUp
from meetings.models.meetings import Attendance, Guest, Meeting
from meetings.models.plan_discussions import PlanDiscussion
from meetings.models.protocols import Protocol, ProtocolCorrection
from meetings.models.receipts import ProtocolReceipt
from meetings.models.signature_lock import SignedProtocolError
from meetings.models.speakers import Speaker

__all__ = [
    "FOLLOW_UP_QUESTION",
    "AgendaItem",
    "Assignment",
    "Attendance",
    "CalendarFeed",
    "DeadlineChange",
    "Decision",
    "FollowUp",
    "Guest",
    "Meeting",
    "PlanDiscussion",
    "Protocol",
    "ProtocolCorrection",
    "ProtocolReceipt",
    "SignedProtocolError",
    "Speaker",
]
