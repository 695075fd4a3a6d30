"""The documents of a community as PDF and as .docx: the protocol, the extract of one question, the
acknowledgement sheet and the annual plan. Each answers like the page it prints: 404 to those who may not see the
community, and only to GET. The PDF and the .docx of a document share its access check and its context."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from communities.access import community_for, may_read_district_sheet, require_found
from communities.models import Acknowledgement, AnnualPlan, Community, Membership, Regulation
from meetings.models import AgendaItem, Meeting, Protocol, ProtocolCorrection
from meetings.protocol_content import load_protocol
from pos_portal.typography import nested, quoted
from reports.annual_documents import STYLESHEETS, plan_document_context
from reports.docx import extract as docx_extract
from reports.docx import plan as docx_plan
from reports.docx import protocol as docx_protocol
from reports.docx import sheet as docx_sheet
from reports.docx.sheet import SHEET_TEMPLATE
from reports.pdf import docx_response, pdf_response, render_pdf
from reports.protocol_pdf import (
    correction_filename,
    correction_pdf,
    extract_context,
    extract_filename,
    original_sha256,
    protocol_context,
    protocol_filename,
    render_extract_pdf,
    render_protocol_pdf,
    signed_protocol_document,
    signed_protocol_pdf,
)

NO_PROTOCOL = "У заседания нет протокола."


# --- The protocol and the extract ---------------------------------------------------------------------------------


def _protocol(request, meeting_pk) -> Protocol:
    """The protocol of the meeting, for the readers of its community (404 to the others, and without a protocol);
    loaded lightly, with its stored document."""
    protocol = Protocol.objects.filter(meeting_id=meeting_pk).select_related("meeting", "document").first()
    if protocol is None:
        meeting = get_object_or_404(Meeting.objects.only("pk", "community_id"), pk=meeting_pk)
        community_for(request.user, meeting.community_id)  # an outsider learns nothing, not even «no protocol»
        raise Http404(NO_PROTOCOL)
    community_for(request.user, protocol.meeting.community_id)
    return protocol


@require_http_methods(["GET"])
def protocol_pdf(request, meeting_pk):
    """A signed protocol: the document stored at signing, byte for byte. A draft: rendered now, marked «ПРОЕКТ»."""
    protocol = _protocol(request, meeting_pk)
    data = signed_protocol_pdf(protocol) if protocol.is_signed else render_protocol_pdf(load_protocol(protocol.pk))
    return pdf_response(data, protocol_filename(protocol))


@require_http_methods(["GET"])
def protocol_docx(request, meeting_pk):
    """The protocol in Word, from the same content as the PDF: a signed one as a copy of its stored PDF (its
    SHA-256 checked and printed), a draft marked «ПРОЕКТ»."""
    protocol = _protocol(request, meeting_pk)
    context = protocol_context(load_protocol(protocol.pk))
    if protocol.is_signed:
        context["original_sha256"] = original_sha256(protocol)
        document = signed_protocol_document(protocol)
        if document.verification_code:
            context["original_check_url"] = document.verification_url
    return docx_response(docx_protocol.protocol_docx(context), protocol_filename(protocol, suffix=".docx"))


def _extract(request, item_pk) -> tuple[Protocol, AgendaItem]:
    """The protocol (loaded for its document) and the question ``item_pk`` of it, for the readers of its community."""
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=item_pk)
    community_for(request.user, item.meeting.community_id)
    protocol_pk = Protocol.objects.filter(meeting_id=item.meeting_id).values_list("pk", flat=True).first()
    if protocol_pk is None:
        raise Http404(NO_PROTOCOL)
    protocol = load_protocol(protocol_pk)
    item = next(question for question in protocol.meeting.agenda.all() if question.pk == item.pk)
    return protocol, item


@require_http_methods(["GET"])
def extract_pdf(request, item_pk):
    protocol, item = _extract(request, item_pk)
    return pdf_response(render_extract_pdf(protocol, item), extract_filename(protocol, item))


@require_http_methods(["GET"])
def extract_docx(request, item_pk):
    protocol, item = _extract(request, item_pk)
    data = docx_extract.extract_docx(extract_context(protocol, item))
    return docx_response(data, extract_filename(protocol, item, suffix=".docx"))


@require_http_methods(["GET"])
def correction_pdf_view(request, correction_pk):
    """A correction to a signed protocol: its document stored when it was made, byte for byte, for the readers of
    the protocol (404 to the others)."""
    correction = get_object_or_404(ProtocolCorrection.objects.select_related("protocol__meeting"), pk=correction_pk)
    community_for(request.user, correction.protocol.meeting.community_id)
    return pdf_response(correction_pdf(correction), correction_filename(correction))


# --- The acknowledgement sheet --------------------------------------------------------------------------------


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


#: What the sheet says of its dates: they are acknowledgements in the portal, not signatures.
ELECTRONIC_NOTE = (
    "Даты в графе «Дата» — даты ознакомления в ПОС-портале: ознакомление подтверждено педагогом электронно, под "
    "своей учётной записью («в портале» в графе «Подпись»). Для подписей от руки — бланк листа ознакомления."
)
#: What the blank sheet says, and its mark in the portal's dated rows.
BLANK_NOTE = "Дату и подпись педагог ставит собственноручно при ознакомлении с документом."
PORTAL_MARK = "в портале"
#: Empty numbered rows at the end of a blank sheet, for those not in its list, at least.
BLANK_ROWS = 5
#: Rows (26 pt and padding) the blank sheet's first page holds under its heading with «Сформировано …», and each further
#: page (it holds one more without that line): the empty rows run on
#: to the foot of the last page, so no page holds one row and «Сформировано …» only.
SHEET_FIRST_PAGE_ROWS, SHEET_PAGE_ROWS = 12, 20


def blank_sheet_rows(listed: int) -> int:
    """How many rows a blank sheet with ``listed`` names has: at least ``BLANK_ROWS`` empty ones, up to a full page."""
    wanted = listed + BLANK_ROWS
    if wanted <= SHEET_FIRST_PAGE_ROWS:
        return SHEET_FIRST_PAGE_ROWS
    further = -(-(wanted - SHEET_FIRST_PAGE_ROWS) // SHEET_PAGE_ROWS)
    return SHEET_FIRST_PAGE_ROWS + further * SHEET_PAGE_ROWS


def sheet_context(regulation: Regulation, community, *, blank: bool = False) -> dict:
    """What the acknowledgement sheet prints (its PDF and .docx). Each row: ``teacher`` (None on a blank row),
    ``acknowledged_on`` and ``mark`` (what the «Подпись» cell holds). ``blank``: the sheet for hand signatures, the
    same people without the portal's dates, and empty rows at the end. ``doc_title`` and ``effective``: the
    regulation's title in «ёлочки» (its own quotes as „лапки“) and «Действует с … для профессионального
    обучающегося сообщества …» (Community.title_genitive), never «в ПОС «ПОС …»»."""
    rows = sheet_rows(regulation)
    if blank:
        rows = [{"teacher": row["teacher"], "acknowledged_on": None, "mark": ""} for row in rows]
        rows += [{"teacher": None, "acknowledged_on": None, "mark": ""}] * (blank_sheet_rows(len(rows)) - len(rows))
    else:
        for row in rows:
            row["mark"] = PORTAL_MARK if row["acknowledged_on"] else ""
    where = f"для {community.title_genitive}" if community is not None else "для всех ПОС района"
    return {
        "regulation": regulation,
        "community": community,
        # the header, the title and where it applies, as the PDF and the .docx print them (quotes nested right)
        "community_name": nested(community.name) if community is not None else "",
        "doc_title": f"с документом {quoted(regulation.title)}",
        "effective": f"Действует с {regulation.effective_from:%d.%m.%Y} {where}.",
        "rows": rows,
        "blank": blank,
        "note": BLANK_NOTE if blank else ELECTRONIC_NOTE,
        "generated_on": timezone.localdate(),
    }


def _regulation(request, regulation_pk):
    """A community's regulation: for the readers of the community. A district-wide one: for methodists, the
    Department and the communities' leaders (the sheet lists teachers of the whole district)."""
    regulation = get_object_or_404(Regulation.objects.select_related("community__organization"), pk=regulation_pk)
    community = None
    if regulation.community_id:
        community, _access = community_for(request.user, regulation.community_id)
    else:
        require_found(may_read_district_sheet(request.user), "Лист ознакомления не найден.")
    return regulation, community


def sheet_filename(regulation: Regulation, suffix: str = ".pdf", *, blank: bool = False) -> str:
    return f"Лист ознакомления {regulation.pk}{' (бланк)' if blank else ''}{suffix}"


def _blank(request) -> bool:
    """``?blank=1``: the blank sheet for hand signatures."""
    return request.GET.get("blank") == "1"


@require_http_methods(["GET"])
def acknowledgement_sheet_pdf(request, regulation_pk):
    """The sheet with the portal's acknowledgements, or (``?blank=1``) blank for hand signatures: same readers."""
    regulation, community = _regulation(request, regulation_pk)
    blank = _blank(request)
    data = render_pdf(SHEET_TEMPLATE, sheet_context(regulation, community, blank=blank))
    return pdf_response(data, sheet_filename(regulation, blank=blank))


@require_http_methods(["GET"])
def acknowledgement_sheet_docx(request, regulation_pk):
    regulation, community = _regulation(request, regulation_pk)
    blank = _blank(request)
    data = docx_sheet.sheet_docx(sheet_context(regulation, community, blank=blank))
    return docx_response(data, sheet_filename(regulation, ".docx", blank=blank))


# --- The annual plan -------------------------------------------------------------------------------------------


def _plan(request, plan_pk) -> tuple[AnnualPlan, Community]:
    """The plan, for the readers of its community."""
    plan = get_object_or_404(AnnualPlan.objects.select_related("approved_by__teacher"), pk=plan_pk)
    community, _access = community_for(request.user, plan.community_id)
    return plan, community


def plan_filename(plan: AnnualPlan, community: Community, suffix: str = ".pdf") -> str:
    year = plan.academic_year
    return f"План работы ПОС {community.name} на {year.start_year}-{year.start_year + 1}{suffix}"


@require_http_methods(["GET"])
def plan_pdf(request, plan_pk):
    """The annual work plan as a PDF, for the readers of its community: «УТВЕРЖДАЮ» once approved, «ПРОЕКТ» before."""
    plan, community = _plan(request, plan_pk)
    data = render_pdf("reports/pdf/annual_plan.html", plan_document_context(plan, community), stylesheets=STYLESHEETS)
    return pdf_response(data, plan_filename(plan, community))


@require_http_methods(["GET"])
def plan_docx(request, plan_pk):
    plan, community = _plan(request, plan_pk)
    data = docx_plan.plan_docx(plan_document_context(plan, community))
    return docx_response(data, plan_filename(plan, community, ".docx"))
