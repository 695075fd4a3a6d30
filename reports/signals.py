"""Signals of the reports app, for apps that build on it.

Sent by the annual report's transitions (``reports.services``) after their transaction commits
(``transaction.on_commit``):

- ``annual_report_reviewed(sender=AnnualReport, report=…, accepted=bool, by=user, comment=str)``: the ИОЦ accepted
  the report, or returned it to the leader with a comment.
"""

import django.dispatch

annual_report_reviewed = django.dispatch.Signal()
