"""The documents of a community as PDF: the protocol, the extract of one question, the acknowledgement sheet
and the annual plan. Each answers like the page it prints: 404 to those
who may not see the community, and only to GET."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from communities.access import community_for, may_read_district_sheet, require_found
from communities.models import Acknowledgement, Membership, Regulation
from meetings.models import AgendaItem, Meeting, Protocol
from meetings.protocol_content import load_protocol
from reports.pdf import pdf_response, render_pdf
from reports.protocol_pdf import protocol_filename, render_extract_pdf, render_protocol_pdf, signed_protocol_pdf

NO_PROTOCOL = "У заседания нет протокола."


@require_http_methods(["GET"])
def protocol_pdf(request, meeting_pk):
    """A signed protocol: the document stored at signing, byte for byte. A draft: rendered now, marked «ПРОЕКТ»."""
    protocol = Protocol.objects.filter(meeting_id=meeting_pk).select_related("meeting", "document").first()
    if protocol is None:
        meeting = get_object_or_404(Meeting.objects.only("pk", "community_id"), pk=meeting_pk)
        community_for(request.user, meeting.community_id)  # an outsider learns nothing, not even «no protocol»
        raise Http404(NO_PROTOCOL)
    community_for(request.user, protocol.meeting.community_id)
    data = signed_protocol_pdf(protocol) if protocol.is_signed else render_protocol_pdf(load_protocol(protocol.pk))
    return pdf_response(data, protocol_filename(protocol))


@require_http_methods(["GET"])
def extract_pdf(request, item_pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk)
    community_for(request.user, item.meeting.community_id)
    protocol_pk = Protocol.objects.filter(meeting_id=item.meeting_id).values_list("pk", flat=True).first()
    if protocol_pk is None:
        raise Http404(NO_PROTOCOL)
    protocol = load_protocol(protocol_pk)
    item = next(question for question in protocol.meeting.agenda.all() if question.pk == item.pk)
    data = render_extract_pdf(protocol, item)
    return pdf_response(data, protocol_filename(protocol, prefix=f"Выписка из протокола (вопрос {item.order})"))


def sheet_rows(regulation: Regulation) -> list[dict]:
    """For a community's regulation every current member with the date of acknowledgement (None if not yet);
    for a district-wide one everyone who has acknowledged it."""
    if regulation.community_id:
        dates = dict(Acknowledgement.objects.filter(regulation=regulation).values_list("teacher_id", "acknowledged_on"))
        memberships = (
            Membership.objects.current()
            .filter(community_id=regulation.community_id)
            .select_related("teacher")
            .order_by("teacher__surname", "teacher__name", "teacher__patronymic", "pk")
        )
        return [{"teacher": row.teacher, "acknowledged_on": dates.get(row.teacher_id)} for row in memberships]
    acknowledgements = (
        Acknowledgement.objects.filter(regulation=regulation)
        .select_related("teacher")
        .order_by("teacher__surname", "teacher__name", "teacher__patronymic", "pk")
    )
    return [{"teacher": row.teacher, "acknowledged_on": row.acknowledged_on} for row in acknowledgements]


@require_http_methods(["GET"])
def acknowledgement_sheet_pdf(request, regulation_pk):
    """A community's regulation: for the readers of the community. A district-wide one: for methodists, the
    Department and the communities' leaders (the sheet lists teachers of the whole district)."""
    regulation = get_object_or_404(Regulation.objects.select_related("community__organization"), pk=regulation_pk)
    community = None
    if regulation.community_id:
        community, _access = community_for(request.user, regulation.community_id)
    else:
        require_found(may_read_district_sheet(request.user), "Лист ознакомления не найден.")
    context = {
        "regulation": regulation,
        "community": community,
        "rows": sheet_rows(regulation),
        "generated_on": timezone.localdate(),
    }
    data = render_pdf("reports/pdf/acknowledgement_sheet.html", context)
    return pdf_response(data, f"Лист ознакомления {regulation.pk}.pdf")


# --- The annual plan -------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def plan_pdf(request, plan_pk):
    """The annual work plan as a PDF, for the readers of its community: «УТВЕРЖДАЮ» once approved, «ПРОЕКТ» before."""
    from communities.models import AnnualPlan
    from reports.annual_documents import STYLESHEETS, plan_document_context

    plan = get_object_or_404(AnnualPlan.objects.select_related("approved_by__teacher"), pk=plan_pk)
    community, _access = community_for(request.user, plan.community_id)
    data = render_pdf("reports/pdf/annual_plan.html", plan_document_context(plan, community), stylesheets=STYLESHEETS)
    year = plan.academic_year
    return pdf_response(data, f"План работы ПОС {community.name} на {year.start_year}-{year.start_year + 1}.pdf")
