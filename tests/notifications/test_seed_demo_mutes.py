"""``make run`` seeds the demo district without mailing its people: letters written after the seeding's commit (a
returned report's signal is sent then) are muted as well (issue 13: only what is done in the portal is mailed)."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from demo.management.commands import seed_demo
from notifications import kinds
from notifications.models import Outbox
from notifications.outbox import notify
from tests.factories import UserFactory


class CommittingDistrict:
    """A demo district that, as the real one's returned report does, writes a letter after the commit."""

    def __init__(self, today):
        self.user = None

    def build(self):
        self.user = UserFactory(email="kuznetsov@example.ru")
        transaction.on_commit(lambda: notify(kinds.ASSIGNMENT_RETURNED, "assignment:1:returned", [self.user]))

    def summary(self):
        return "Демо-данные созданы."


@pytest.mark.django_db(transaction=True)
def test_the_demo_writes_no_letter_after_its_commit(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(seed_demo, "DemoDistrict", CommittingDistrict)

    call_command("seed_demo", stdout=StringIO())

    assert not Outbox.objects.exists()
    assert mail.outbox == []
