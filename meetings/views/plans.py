"""Sending the annual plan for approval, naming the protocol of the meeting where it was discussed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from communities.access import community_for, leads, require
from communities.models import AnnualPlan
from communities.models.plans import SUBMITTER_ONLY_MESSAGE
from meetings import services
from meetings.forms.plans import PlanSubmitForm
from pos_portal.form_errors import add_validation_error


@require_http_methods(["GET", "POST"])
def plan_submit(request, plan_pk):
    plan = get_object_or_404(AnnualPlan, pk=plan_pk)
    community, access = community_for(request.user, plan.community_id, manage=True)
    # The leader's own act, in person (the Department approves, it does not send).
    require(leads(request.user, community), SUBMITTER_ONLY_MESSAGE)
    plan.community = community
    form = PlanSubmitForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_submit(plan=plan, protocol=form.cleaned_data["protocol"], user=request.user)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"План на {plan.academic_year} учебный год отправлен на утверждение в ИОЦ.")
            return redirect("communities:plan_detail", plan_pk=plan.pk)
    return render(
        request,
        "meetings/plans/plan_submit.html",
        {
            "community": community,
            "access": access,
            "plan": plan,
            "form": form,
            "refusal": plan.submission_refusal(access.teacher),
            "has_protocols": form.fields["protocol"].queryset.exists(),
        },
    )
