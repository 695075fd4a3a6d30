"""Sending an annual plan for approval with the protocol of the meeting where it was discussed.

The plan's own transition is ``communities.services.plan_submit`` (who may, in which status, with enough sessions);
this adds what only meetings know: the signed protocol the plan names (``PlanDiscussion``), in the same transaction.
"""

from django.db import transaction

from communities import services as community_services
from communities.models import AnnualPlan
from meetings.models import PlanDiscussion, Protocol

__all__ = ["plan_submit"]


@transaction.atomic
def plan_submit(*, plan: AnnualPlan, protocol: Protocol, user) -> AnnualPlan:
    """Record that ``plan`` was discussed at the meeting of ``protocol`` and send it for approval."""
    discussion = PlanDiscussion.objects.filter(plan=plan).first() or PlanDiscussion(plan=plan)
    discussion.protocol = protocol
    plan = community_services.plan_submit(plan=plan, user=user)
    discussion.plan = plan
    discussion.full_clean()
    discussion.save()
    return plan
