"""«Как считается статус»: the rules of reports.compliance explained to its readers, with this portal's settings."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from communities.activity import minimum_sessions
from meetings.models.meetings import protocol_due_days
from reports.compliance import STATUS_BADGE, STATUS_ORDER


@require_http_methods(["GET"])
def status_help(request):
    statuses = [{"status": status, "badge": STATUS_BADGE[status]} for status in STATUS_ORDER]
    context = {"minimum": minimum_sessions(), "protocol_due_days": protocol_due_days(), "statuses": statuses}
    return render(request, "reports/status_help.html", context)
