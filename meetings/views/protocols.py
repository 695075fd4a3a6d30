"""The protocol of a meeting: questions of the agenda with their decisions, signing, corrections."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import community_for
from communities.submissions import submitted_once
from meetings import services
from meetings.forms import CorrectionForm, VersionForm
from meetings.models import AgendaItem, Meeting
from meetings.views.editor import (
    NEW_QUESTION,
    Part,
    detail_url,
    go,
    is_htmx,
    members_of,
    posted_part,
    question_key,
    question_part,
)
from meetings.views.meetings import (
    CONFLICT_STATUS,
    answer_part,
    detail_queryset,
    editable_meeting,
    expected_version,
    meeting_title,
    no_protocol_redirect,
    problem_links,
    protocol_of,
    render_detail,
    require_protocol,
)
from pos_portal.form_errors import add_validation_error


def agenda_item_page(request, meeting, community, access, item):
    """One question with its decisions, new or existing: a part of the meeting page (views/editor.py), or the
    standalone page of a question of before."""
    data = request.POST if request.method == "POST" else None
    if data is not None:
        prefetch_related_objects([meeting], "attendance")  # each decision checks its votes against those present
    key = question_key(item)
    on_page = posted_part(request, key) is not None
    if data is None and is_htmx(request):
        # «Изменить» («Добавить вопрос») on the meeting page: the question's form, in place of the question as read.
        part = question_part(meeting, members_of(meeting), item)
        part.focus = True
        context = {"community": community, "access": access, "meeting": meeting, "part": part}
        return render(request, "meetings/editor/question_part.html", context)
    part = question_part(meeting, members_of(meeting), item, data, on_page=on_page)
    version_form = VersionForm(data, initial={"version": meeting.version})
    saved = None
    if data is not None:
        valid = [part.form.is_valid(), part.speakers.is_valid(), part.decisions.is_valid()]
        version = expected_version(version_form)
        if version is None:
            part.conflict = services.EDIT_CONFLICT_MESSAGE
        elif all(valid):
            decisions = part.decisions
            changes = []
            # In the order of «№ пункта» (moved up or down on the page), the deleted ones too.
            for decision_form in [*decisions.ordered_forms, *decisions.deleted_forms]:
                stored = decision_form.instance.pk is not None
                delete = decisions._should_delete_form(decision_form)
                if not stored and (delete or not decision_form.has_changed()):
                    continue
                changes.append(
                    services.DecisionChange(
                        decision=decision_form.instance,
                        responsible=decision_form.cleaned_data.get("responsible"),
                        deadline=decision_form.cleaned_data.get("deadline"),
                        delete=delete,
                    )
                )
            try:
                saved = services.agenda_item_save(
                    item=part.form.instance,
                    speakers=part.speakers.changes(),
                    decisions=changes,
                    expected_version=version,
                    ordered=True,
                )
            except services.MeetingVersionConflict as error:
                part.conflict = error.message
            except ValidationError as error:
                add_validation_error(part.form, error)
            else:
                part.notice = f"Вопрос {saved.order} повестки сохранён."
                if not is_htmx(request):
                    messages.success(request, part.notice)
        if on_page:
            added = saved if saved is not None and key == NEW_QUESTION else None
            response = answer_part(
                request,
                meeting,
                community,
                access,
                part,
                saved=saved is not None,
                anchor=question_key(saved) if saved is not None else key,
                added=added,
            )
            if added is not None:
                response.submission_url = detail_url(meeting, question_key(saved))
            return response
        if saved is not None:
            return redirect("meetings:detail", meeting_pk=meeting.pk)
    context = {
        "community": community,
        "access": access,
        "meeting": meeting,
        "title": meeting_title(meeting),
        "item": item,
        "form": part.form,
        "speakers": part.speakers,
        "decisions": part.decisions,
        "version_form": version_form,
        "conflict": part.conflict,
    }
    status = CONFLICT_STATUS if part.conflict else 200
    return render(request, "meetings/protocols/agenda_item_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
@submitted_once
def agenda_item_add(request, meeting_pk):
    meeting, community, access = editable_meeting(request, meeting_pk)
    if protocol_of(meeting) is None:
        return no_protocol_redirect(request, meeting)
    return agenda_item_page(request, meeting, community, access, AgendaItem(meeting=meeting))


@require_http_methods(["GET", "POST"])
def agenda_item_edit(request, item_pk):
    item = get_object_or_404(AgendaItem, pk=item_pk)
    meeting, community, access = editable_meeting(request, item.meeting_id)
    if protocol_of(meeting) is None:
        return no_protocol_redirect(request, meeting)
    item.meeting = meeting
    return agenda_item_page(request, meeting, community, access, item)


def question_write(request, item, write, done: str):
    """Delete or move a question (``write(item, version)``, a service): back to the meeting page, or to htmx the
    signing problems and the preview out of band and the new order of the questions."""
    meeting, community, access = editable_meeting(request, item.meeting_id)
    item.meeting = meeting
    version = expected_version(VersionForm(request.POST))
    try:
        if version is None:
            raise services.MeetingVersionConflict()
        write(item, version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return go(request, detail_url(meeting, "questions"))
    if not is_htmx(request):
        messages.success(request, done)
        return redirect(detail_url(meeting, "questions"))
    part = Part(question_key(item), item=item, notice=done)
    return answer_part(request, meeting, community, access, part, saved=True, anchor="questions")


@require_POST
def agenda_item_delete(request, item_pk):
    item = get_object_or_404(AgendaItem, pk=item_pk)

    def delete(item, version):
        services.agenda_item_delete(item=item, expected_version=version)

    return question_write(request, item, delete, f"Вопрос {item.order} удалён из повестки.")


@require_POST
def agenda_item_move(request, item_pk):
    item = get_object_or_404(AgendaItem, pk=item_pk)
    up = request.POST.get("direction") != "down"

    def move(item, version):
        services.agenda_item_move(item=item, up=up, expected_version=version)

    return question_write(request, item, move, f"Вопрос {item.order} перемещён {'выше' if up else 'ниже'}.")


@require_http_methods(["GET", "POST"])
def protocol_sign(request, meeting_pk):
    meeting = get_object_or_404(Meeting.objects.select_related("protocol"), pk=meeting_pk)
    community, access = community_for(request.user, meeting.community_id, manage=True)
    meeting.community = community
    protocol = require_protocol(meeting)
    if request.method == "POST":
        # The version of the confirmation page: a draft changed since then is not signed unseen.
        version_form = VersionForm(request.POST)
        version = version_form.cleaned_data["version"] if version_form.is_valid() else None
        try:
            signed = services.protocol_sign_as_seen(protocol=protocol, user=request.user, expected_version=version)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Протокол № {signed.number} подписан.")
        return redirect("meetings:detail", meeting_pk=meeting.pk)
    context = {
        "community": community,
        "access": access,
        "meeting": meeting,
        "title": meeting_title(meeting),
        "protocol": protocol,
        "problems": problem_links(protocol.signing_problems(access.teacher), meeting),  # fixed on the meeting page
        "quorum": None if protocol.is_signed else protocol.quorum(),
        "present_count": meeting.attendance.filter(present=True).count(),
        "agenda": meeting.agenda.prefetch_related("decisions").order_by("order"),
        "version_form": VersionForm(initial={"version": meeting.version}),
    }
    return render(request, "meetings/protocols/sign.html", context)


@require_POST
@submitted_once
def protocol_correction(request, meeting_pk):
    meeting = get_object_or_404(detail_queryset(), pk=meeting_pk)
    community, access = community_for(request.user, meeting.community_id, manage=True)
    meeting.community = community
    protocol = require_protocol(meeting)
    if not protocol.is_signed:
        messages.error(request, "Черновик протокола исправляют напрямую; исправление — для подписанного.")
        return redirect("meetings:detail", meeting_pk=meeting.pk)
    form = CorrectionForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            correction = services.protocol_correct(
                protocol=protocol,
                author=access.teacher,
                text=data["text"],
                reason=data["reason"],
                agenda_item=data["agenda_item"],
                decision=data["decision"],
                new_text=data["new_text"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{correction.title} внесено.")
            return redirect("meetings:detail", meeting_pk=meeting.pk)
    return render_detail(request, meeting, community, access, correction_form=form)
