"""«Ознакомлен(а) с протоколом»: a member acknowledges a signed protocol (``ProtocolReceipt``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities.access import community_for, require
from meetings.models import Protocol, ProtocolReceipt


@require_POST
def protocol_receipt(request, meeting_pk):
    protocol = get_object_or_404(Protocol.objects.select_related("meeting"), meeting_id=meeting_pk)
    _community, access = community_for(request.user, protocol.meeting.community_id)
    require(
        access.teacher is not None, "С протоколом знакомятся участники: ваша учётная запись не связана с педагогом."
    )
    try:
        ProtocolReceipt.record(protocol, access.teacher)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Отмечено: вы ознакомлены с протоколом № {protocol.number}.")
    return redirect(f"{reverse('meetings:detail', args=[meeting_pk])}#receipt")
