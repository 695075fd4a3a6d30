"""Final records (pos_portal.final_records) refuse raw SQL on SQLite and PostgreSQL: the stored PDF of a signed
protocol and its SHA-256, a correction, an accepted annual report and every audit (historical) row; on PostgreSQL
TRUNCATE of any guarded table too. What is not final stays writable, and every guarded table has its triggers."""

import hashlib

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from meetings.models import ProtocolCorrection, SignedProtocolError
from pos_portal import final_records
from reports.models import AnnualReport, ProtocolDocument
from reports.services import annual_report_accept, annual_report_start, annual_report_submit
from tests.factories import UserFactory
from tests.reports.annual_data import YEAR

pytestmark = pytest.mark.django_db

FORGED = b"%PDF-1.7\n% a forged protocol\n%%EOF\n"


def raw(sql, params=()):
    """Run SQL as another client would, bypassing Django's models."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def correction(signed_protocol, leader):
    return ProtocolCorrection.objects.create(
        protocol=signed_protocol, text="Вместо «5 человек» читать «6 человек».", reason="Опечатка", author=leader
    )


@pytest.fixture
def accepted(community, leader, admin_user):
    report = annual_report_start(community=community, year=YEAR, user=leader.user)
    report.results = "Освоили приёмы формирующего оценивания."
    report.save()
    report = annual_report_submit(report=report, user=leader.user)
    return annual_report_accept(report=report, user=admin_user)


def test_the_stored_pdf_cannot_be_replaced_by_sql_and_the_original_is_served(client, signed_protocol, member, media):
    document = ProtocolDocument.objects.get(protocol=signed_protocol)
    original = document.read()
    (media / "protocols").mkdir(parents=True, exist_ok=True)
    (media / "protocols" / "forged.pdf").write_bytes(FORGED)

    with pytest.raises(IntegrityError):
        raw(
            "UPDATE reports_protocoldocument SET file = %s, sha256 = %s, size = %s",
            ("protocols/forged.pdf", hashlib.sha256(FORGED).hexdigest(), len(FORGED)),
        )

    client.force_login(member.user)
    response = client.get(reverse("reports:protocol_pdf", kwargs={"meeting_pk": signed_protocol.meeting_id}))
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == original


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE reports_protocoldocument SET sha256 = 'x'",
        "UPDATE reports_protocoldocument SET file = 'protocols/other.pdf'",
        "DELETE FROM reports_protocoldocument",
    ],
)
def test_the_stored_pdf_and_its_hash_refuse_raw_sql(signed_protocol, sql):
    stored = ProtocolDocument.objects.values().get(protocol=signed_protocol)
    with pytest.raises(IntegrityError):
        raw(sql)
    assert ProtocolDocument.objects.values().get(protocol=signed_protocol) == stored


@pytest.mark.parametrize(
    "sql", ["UPDATE meetings_protocolcorrection SET text = 'x'", "DELETE FROM meetings_protocolcorrection"]
)
def test_a_correction_refuses_raw_sql(correction, sql):
    with pytest.raises(IntegrityError):
        raw(sql)
    correction.refresh_from_db()
    assert correction.text.startswith("Вместо")


def test_a_correction_refuses_the_orm_with_a_message(correction):
    with pytest.raises(SignedProtocolError, match="Исправление протокола"):
        ProtocolCorrection.objects.filter(pk=correction.pk).update(text="x")
    with pytest.raises(SignedProtocolError, match="Исправление протокола"):
        ProtocolCorrection.objects.filter(pk=correction.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE reports_annualreport SET results = 'x'",
        "UPDATE reports_annualreport SET status = 'draft'",
        "DELETE FROM reports_annualreport",
    ],
)
def test_an_accepted_report_refuses_raw_sql(accepted, sql):
    with pytest.raises(IntegrityError):
        raw(sql)
    accepted.refresh_from_db()
    assert accepted.status == AnnualReport.Status.ACCEPTED
    assert accepted.results == "Освоили приёмы формирующего оценивания."


def test_a_report_not_yet_accepted_stays_writable(community, leader):
    report = annual_report_start(community=community, year=YEAR, user=leader.user)
    assert raw("UPDATE reports_annualreport SET results = 'Черновик' WHERE id = %s", (report.pk,)) == 1
    assert raw("DELETE FROM reports_annualreport WHERE id = %s", (report.pk,)) == 1


@pytest.fixture
def audited(signed_protocol, community):
    """Audit rows of a protocol and of a community, one of them with the user who made the change."""
    community.name = "Новое название"
    community._history_user = UserFactory()
    community.save()
    return community


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE meetings_historicalprotocol SET number = 99",
        "DELETE FROM meetings_historicalprotocol",
        "UPDATE communities_historicalcommunity SET name = 'x'",
        "UPDATE communities_historicalcommunity SET history_user_id = (SELECT max(id) FROM auth_user) + 1",
        "DELETE FROM communities_historicalcommunity",
        "UPDATE communities_historicalmembership SET history_date = CURRENT_TIMESTAMP",
    ],
)
def test_an_audit_row_refuses_raw_sql(audited, signed_protocol, sql):
    before = (list(signed_protocol.history.values()), list(audited.history.values()))
    assert before[0] and before[1]
    with pytest.raises(IntegrityError):
        raw(sql)
    assert (list(signed_protocol.history.values()), list(audited.history.values())) == before


def test_an_audit_row_is_written_once_and_only_its_user_may_be_cleared(audited):
    history = audited.history.first()
    with pytest.raises(final_records.FinalRecordError, match="журнала изменений"):
        history.save()
    with pytest.raises(final_records.FinalRecordError, match="журнала изменений"):
        history.delete()
    # Deleting a user account keeps the audit rows: their user becomes empty (history_user is SET_NULL).
    user = history.history_user
    user.delete()
    assert audited.history.filter(name="Новое название", history_user__isnull=True).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE has statement triggers on PostgreSQL only")
@pytest.mark.parametrize("table", sorted(m._meta.db_table for m in final_records.guarded_models()))
def test_truncate_of_a_guarded_table_is_refused(signed_protocol, table):
    with pytest.raises(IntegrityError, match="TRUNCATE refused"), transaction.atomic(), connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks pending, which TRUNCATE would refuse first.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'TRUNCATE "{table}" CASCADE')


def test_every_final_table_has_its_triggers():
    """After migrate (and after any rebuild of a table by SQLite) every guarded table carries its triggers."""
    tables = {m._meta.db_table for m in final_records.guarded_models()}
    assert {
        "meetings_protocol",
        "meetings_protocolcorrection",
        "reports_protocoldocument",
        "reports_annualreport",
        "meetings_historicalprotocol",
        "communities_historicalcommunity",
    } <= tables
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'pos_guard_%'"
            )
        else:
            cursor.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE t.tgname LIKE 'pos_guard_%%' AND t.tgenabled <> 'D'"
            )
        triggered = {row[0] for row in cursor.fetchall()}
    assert tables <= triggered
