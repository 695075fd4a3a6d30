"""Database triggers that keep a signed protocol unchanged whatever client writes to the tables.

Installed by migration 0002 for SQLite and PostgreSQL (see signature_lock for the other layers),
and re-installed after every ``migrate`` (``post_migrate``, see ``install_guards``): SQLite rebuilds a
table for many schema changes and drops its triggers with it, so a one-off install would not last.
A refused statement fails with an integrity error (SQLite ``RAISE(ABORT)``, PostgreSQL SQLSTATE
23000), so Django raises ``IntegrityError`` and the surrounding transaction rolls back.
"""

SIGNED_MEETING = (
    "EXISTS (SELECT 1 FROM meetings_protocol p WHERE p.meeting_id = {row}.{column} AND p.signed_at IS NOT NULL)"
)
SIGNED_AGENDA_ITEM = (
    "EXISTS (SELECT 1 FROM meetings_agendaitem a JOIN meetings_protocol p ON p.meeting_id = a.meeting_id "
    "WHERE a.id = {row}.agenda_item_id AND p.signed_at IS NOT NULL)"
)
SIGNED_DECISION = (
    "EXISTS (SELECT 1 FROM meetings_decision d JOIN meetings_agendaitem a ON a.id = d.agenda_item_id "
    "JOIN meetings_protocol p ON p.meeting_id = a.meeting_id "
    "WHERE d.id = {row}.decision_id AND p.signed_at IS NOT NULL)"
)
ASSIGNMENT_FROZEN = ("decision_id", "text", "responsible_id", "deadline")


def _either(template: str, **kwargs) -> str:
    return f"({template.format(row='OLD', **kwargs)} OR {template.format(row='NEW', **kwargs)})"


def _frozen_changed(columns, distinct: str) -> str:
    return "(" + " OR ".join(f"NEW.{c} {distinct} OLD.{c}" for c in columns) + ")"


def guards(distinct: str) -> dict[str, dict[str, str]]:
    """table -> operation -> the condition under which the operation is refused."""
    by_meeting = {
        "INSERT": SIGNED_MEETING.format(row="NEW", column="meeting_id"),
        "UPDATE": _either(SIGNED_MEETING, column="meeting_id"),
        "DELETE": SIGNED_MEETING.format(row="OLD", column="meeting_id"),
    }
    return {
        "meetings_protocol": {"UPDATE": "OLD.signed_at IS NOT NULL", "DELETE": "OLD.signed_at IS NOT NULL"},
        "meetings_meeting": {
            "UPDATE": SIGNED_MEETING.format(row="OLD", column="id"),
            "DELETE": SIGNED_MEETING.format(row="OLD", column="id"),
        },
        "meetings_attendance": by_meeting,
        "meetings_guest": by_meeting,
        "meetings_agendaitem": by_meeting,
        "meetings_decision": {
            "INSERT": SIGNED_AGENDA_ITEM.format(row="NEW"),
            "UPDATE": _either(SIGNED_AGENDA_ITEM),
            "DELETE": SIGNED_AGENDA_ITEM.format(row="OLD"),
        },
        "meetings_assignment": {
            "INSERT": SIGNED_DECISION.format(row="NEW"),
            "UPDATE": f"({_either(SIGNED_DECISION)} AND {_frozen_changed(ASSIGNMENT_FROZEN, distinct)})",
            "DELETE": SIGNED_DECISION.format(row="OLD"),
        },
        "meetings_protocolcorrection": {"UPDATE": "1 = 1", "DELETE": "1 = 1"},
    }


MESSAGE = "signed protocol is read-only: {table} {op} refused"


def sqlite_statements() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for table, ops in guards("IS NOT").items():
        for op, condition in ops.items():
            name = f"pos_guard_{table}_{op.lower()}"
            message = MESSAGE.format(table=table, op=op)
            create.append(
                f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW WHEN {condition} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


def postgresql_statements() -> tuple[list[str], list[str]]:
    create, drop = [], []
    for table, ops in guards("IS DISTINCT FROM").items():
        function = f"pos_guard_{table}"
        checks = "\n".join(
            f"  IF TG_OP = '{op}' THEN IF {condition} THEN "
            f"RAISE EXCEPTION '{MESSAGE.format(table=table, op=op)}' USING ERRCODE = '23000'; END IF; END IF;"
            for op, condition in ops.items()
        )
        create.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{checks}\n"
            "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n  RETURN NEW;\nEND;\n$$"
        )
        create.append(
            f"CREATE TRIGGER {function} BEFORE {' OR '.join(ops)} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {function} ON {table}")
        drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    return create, drop


def statements(vendor: str) -> tuple[list[str], list[str]]:
    if vendor == "sqlite":
        return sqlite_statements()
    if vendor == "postgresql":
        return postgresql_statements()
    raise NotImplementedError(f"No signed-protocol guards for the {vendor} database.")


def install_guards(using: str = "default") -> None:
    """(Re)create every guard on the database ``using``; idempotent."""
    from django.db import connections

    connection = connections[using]
    create, drop = statements(connection.vendor)
    with connection.cursor() as cursor:
        for sql in drop + create:
            cursor.execute(sql)
