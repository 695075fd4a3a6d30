"""The portal's own PostgreSQL role (docs/deployment.md): it owns no table, so it cannot disable the triggers of the
final records, cannot TRUNCATE, and the triggers refuse it a change to a signed row; the deploy check warns when the
portal connects as the owner or a superuser (pos.W001)."""

import uuid

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from meetings.models import Protocol
from pos_portal.checks import database_role

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles and their privileges: PostgreSQL"),
]

ROLE = f"pos_test_portal_{uuid.uuid4().hex[:8]}"  # roles are cluster-wide: one of its own per run


def execute(sql, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def portal_role(db):
    """A role with exactly the deployment guide's grants; the test's transaction runs as it (SET ROLE), and the role
    goes with the rollback at the end of the test."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN NOSUPERUSER NOINHERIT")
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"SET ROLE {ROLE}")
    yield ROLE
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def test_the_portals_role_cannot_disable_a_trigger_truncate_or_change_a_signed_protocol(signed_protocol, portal_role):
    with pytest.raises(DatabaseError, match="must be owner"):
        execute("ALTER TABLE meetings_protocol DISABLE TRIGGER ALL")
    with pytest.raises(DatabaseError, match="must be owner"):
        execute("DROP TRIGGER pos_guard_meetings_protocol ON meetings_protocol")
    with pytest.raises(DatabaseError, match="permission denied"):
        execute("TRUNCATE meetings_protocol CASCADE")
    with pytest.raises(IntegrityError, match="read-only"):
        execute("UPDATE meetings_protocol SET number = 99 WHERE id = %s", (signed_protocol.pk,))
    with pytest.raises(IntegrityError, match="read-only"):
        execute("UPDATE reports_protocoldocument SET sha256 = 'forged'")
    # It still does the portal's ordinary work: read, and write what is not final.
    assert Protocol.objects.get(pk=signed_protocol.pk).number == 1
    execute("UPDATE communities_community SET name = name || ' (ПОС)'")


def test_the_deploy_check_warns_about_the_owner_and_not_about_the_portals_role(db):
    assert [warning.id for warning in database_role()] == ["pos.W001"]  # the tests connect as superuser and owner
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN NOSUPERUSER NOINHERIT")
        cursor.execute(f"SET ROLE {ROLE}")
    try:
        assert database_role() == []
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
