"""«Уведомления» (the settings of each person), the one-click unsubscribe, «Без e-mail: N» on the community page."""

from django.core import mail
from django.test import Client
from django.urls import reverse

from meetings.services import protocol_sign
from notifications import kinds
from notifications.kinds import configurable
from notifications.mail import ALL_KINDS, unsubscribe_token
from notifications.models import Delivery, Outbox, Preference


def settings_post(**overrides):
    data = {}
    for kind in configurable():
        data[f"{kind.code}-enabled"] = "on"
        data[f"{kind.code}-delivery"] = Delivery.IMMEDIATE
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_settings_page_lists_every_kind_and_the_address(client, member, with_addresses):
    client.force_login(member.user)

    page = client.get(reverse("notifications:settings")).content.decode()

    assert "Письма приходят на <strong>kuznetsov@example.org</strong>" in page
    for kind in configurable():
        assert kind.label in page
    assert "Ежедневная сводка" not in page  # not a kind one chooses


def test_the_settings_page_says_when_in_a_teachers_words(client, member, settings):
    settings.NOTIFY_DEADLINE_DAYS = 5
    client.force_login(member.user)

    page = client.get(reverse("notifications:settings")).content.decode()

    assert "за 5 дн. до срока поручения" in page  # the setting's number, not its name
    for developer_text in ("NOTIFY_DEADLINE_DAYS", "PROTOCOL_DUE_DAYS", "METHOD:", ".ics", "compliance_report"):
        assert developer_text not in page


def test_a_person_without_an_address_is_told_so(client, member):
    client.force_login(member.user)

    assert "У вас не указан e-mail" in client.get(reverse("notifications:settings")).content.decode()


def test_saving_the_settings_turns_a_kind_off_and_another_to_the_digest(
    client, draft_protocol, leader, member, with_addresses, committed
):
    client.force_login(member.user)
    data = settings_post(**{f"{kinds.PROTOCOL_SIGNED}-enabled": None, f"{kinds.ASSIGNMENT_DUE}-delivery": "daily"})

    response = client.post(reverse("notifications:settings"), data)

    assert response.status_code == 302
    prefs = {pref.kind: pref for pref in Preference.objects.filter(user=member.user)}
    assert prefs[kinds.PROTOCOL_SIGNED].enabled is False
    assert prefs[kinds.ASSIGNMENT_DUE].delivery == Delivery.DAILY
    with committed():
        protocol_sign(protocol=draft_protocol, user=leader.user)
    assert mail.outbox == []
    page = client.get(reverse("notifications:settings")).content.decode()
    assert f'name="{kinds.PROTOCOL_SIGNED}-enabled" id="id_{kinds.PROTOCOL_SIGNED}-enabled">' in page  # unchecked


def test_a_bad_delivery_keeps_what_was_typed(client, member):
    client.force_login(member.user)
    data = settings_post(**{f"{kinds.PROTOCOL_SIGNED}-enabled": None, f"{kinds.ASSIGNMENT_DUE}-delivery": "weekly"})

    response = client.post(reverse("notifications:settings"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Выберите корректный вариант" in page
    assert f'name="{kinds.PROTOCOL_SIGNED}-enabled" id="id_{kinds.PROTOCOL_SIGNED}-enabled">' in page
    assert not Preference.objects.exists()


def test_unsubscribe_asks_on_get_and_unsubscribes_on_a_one_click_post(member):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(member.user.pk, kinds.PROTOCOL_SIGNED)])
    browser = Client(enforce_csrf_checks=True)  # a mail client's one-click POST carries no CSRF token

    page = browser.get(url)
    assert page.status_code == 200
    assert "Больше не присылать письма «Протокол подписан»?" in page.content.decode()
    assert not Preference.objects.exists()

    done = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "больше не будут приходить" in done.content.decode()
    pref = Preference.objects.get(user=member.user)
    assert (pref.kind, pref.enabled) == (kinds.PROTOCOL_SIGNED, False)


def test_the_digests_link_unsubscribes_from_everything(member):
    url = reverse("notifications:unsubscribe", args=[unsubscribe_token(member.user.pk, ALL_KINDS)])

    Client().post(url)

    assert Preference.objects.filter(user=member.user, enabled=False).count() == len(configurable())


def test_a_forged_or_damaged_token_is_not_found(member):
    token = unsubscribe_token(member.user.pk, kinds.PROTOCOL_SIGNED)

    assert Client().get(reverse("notifications:unsubscribe", args=[token[:-2] + "xx"])).status_code == 404
    assert Client().post(reverse("notifications:unsubscribe", args=["abc"])).status_code == 404
    assert not Preference.objects.exists()


def test_the_letters_unsubscribe_link_works(draft_protocol, leader, member, with_addresses, committed):
    with committed():
        protocol_sign(protocol=draft_protocol, user=leader.user)
    [letter] = mail.outbox
    link = letter.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")

    assert Client(enforce_csrf_checks=True).post(link).status_code == 200
    assert Preference.objects.get(user=member.user, kind=kinds.PROTOCOL_SIGNED).enabled is False
    assert Outbox.objects.get().status == Outbox.Status.SENT


def test_the_leader_and_the_district_see_who_gets_no_mail(client, community, leader, member, methodist):
    leader.email = "smirnova@example.org"
    leader.save()
    url = reverse("communities:detail", args=[community.pk])

    for user in (leader.user, methodist):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Без e-mail: 1</strong>" in page and "Кузнецов И.П." in page.split("unreachable-members")[1]
    client.force_login(member.user)
    assert "unreachable-members" not in client.get(url).content.decode()

    member.email = "kuznetsov@example.org"
    member.save()
    client.force_login(leader.user)
    assert "unreachable-members" not in client.get(url).content.decode()
