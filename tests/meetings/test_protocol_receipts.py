"""«Ознакомлен(а) с протоколом»: a member acknowledges a signed protocol once; the leader sees the count and who
has not yet; nobody acknowledges a draft or a community they are not a member of."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import ProtocolReceipt


def page(client, user, protocol):
    client.force_login(user)
    return client.get(reverse("meetings:detail", args=[protocol.meeting_id])).content.decode()


@pytest.mark.django_db
def test_member_acknowledges_a_signed_protocol_and_the_leader_sees_it_counted(client, signed_protocol, leader, member):
    assert "Ознакомлен(а) с протоколом" in page(client, member.user, signed_protocol)
    leader_page = page(client, leader.user, signed_protocol)
    assert "Ознакомлен(а) с протоколом</button>" not in leader_page, "the signer has nothing to acknowledge"
    assert "Ознакомлены: <strong>0</strong> из 1" in leader_page
    assert member.full_name in leader_page

    client.force_login(member.user)
    response = client.post(reverse("meetings:receipt", args=[signed_protocol.meeting_id]), follow=True)
    assert "вы ознакомлены с протоколом" in response.content.decode()
    assert 'id="receipt-done"' in response.content.decode()
    client.post(reverse("meetings:receipt", args=[signed_protocol.meeting_id]))
    assert ProtocolReceipt.objects.filter(protocol=signed_protocol).count() == 1

    assert "Ознакомлены: <strong>1</strong> из 1" in page(client, leader.user, signed_protocol)


@pytest.mark.django_db
def test_a_draft_is_not_acknowledged(client, draft_protocol, member):
    assert "Ознакомлен(а) с протоколом" not in page(client, member.user, draft_protocol)
    response = client.post(reverse("meetings:receipt", args=[draft_protocol.meeting_id]), follow=True)
    assert "только после его подписания" in response.content.decode()
    assert not ProtocolReceipt.objects.exists()
    with pytest.raises(ValidationError):
        ProtocolReceipt.record(draft_protocol, member)


@pytest.mark.django_db
def test_outsider_gets_404_and_a_methodist_only_reads_the_count(client, signed_protocol, outsider, methodist):
    client.force_login(outsider.user)
    assert client.post(reverse("meetings:receipt", args=[signed_protocol.meeting_id])).status_code == 404
    body = page(client, methodist, signed_protocol)
    assert "Ознакомлены:" in body
    assert "Ознакомлен(а) с протоколом</button>" not in body
    assert client.post(reverse("meetings:receipt", args=[signed_protocol.meeting_id])).status_code == 403
    assert not ProtocolReceipt.objects.exists()


@pytest.mark.django_db
def test_receipt_needs_post(client, signed_protocol, member):
    client.force_login(member.user)
    assert client.get(reverse("meetings:receipt", args=[signed_protocol.meeting_id])).status_code == 405
