"""«Как считается статус»: the rules of reports.compliance explained to its readers, with this portal's settings."""

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from communities.activity import minimum_sessions
from meetings.models.meetings import protocol_due_days
from reports.compliance import STATUS_BADGE, Status

#: The statuses in the order ``reports.compliance.status_for`` checks them, with what each means.
STATUS_RULES = [
    (Status.DONE, "проведено не меньше минимума."),
    (Status.VIOLATED, "учебный год закончился (после 31 августа), а проведено меньше минимума."),
    (
        Status.AT_RISK,
        "проведённых и запланированных вместе меньше минимума, или сообщество отстаёт от темпа «одно заседание в "
        "квартал»: через три полных месяца от 1 сентября (или от создания сообщества в течение года) ожидается одно "
        "проведённое заседание, через шесть — два, через девять — три.",
    ),
    (Status.ON_TRACK, "во всех остальных случаях."),
]


@require_http_methods(["GET"])
def status_help(request):
    statuses = [{"status": status, "badge": STATUS_BADGE[status], "rule": rule} for status, rule in STATUS_RULES]
    context = {"minimum": minimum_sessions(), "protocol_due_days": protocol_due_days(), "statuses": statuses}
    return render(request, "reports/status_help.html", context)
