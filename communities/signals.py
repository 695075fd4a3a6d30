"""Signals of the communities app, for apps that build on it (communities never imports them).

Sent by the plan's transitions after their transaction commits (``transaction.on_commit``), so a receiver (the mail
of ``notifications``) never acts on a change that was rolled back:

- ``plan_submitted(sender=AnnualPlan, plan=…, by=user)``: the leader submitted the plan for approval;
- ``plan_reviewed(sender=AnnualPlan, plan=…, approved=bool, by=user, comment=str)``: a methodist of the ИОЦ or the
  Department approved the plan, or returned it with a comment.
"""

import django.dispatch

plan_submitted = django.dispatch.Signal()
plan_reviewed = django.dispatch.Signal()
