"""Records that are final: one declaration per model, enforced by the model, its QuerySet and the database.

A model says when one of its rows is final with a class attribute ``FINAL = Final(...)``:

- ``when``: an SQL condition on the row (``{row}`` stands for the row: ``OLD``/``NEW`` in a trigger, the table in a
  query), e.g. ``"{row}.status = 'accepted'"``; or
- ``parent``: the foreign key through which the row belongs to a parent that is final by its own declaration (a
  decision is final when its agenda item is, which is final when its meeting is, …); such a row may not be added to
  a final parent nor moved under one; or
- ``append_only=True``: every stored row is final (INSERT only), e.g. the audit tables;
- ``editable``: fields that may still change on a final row (an assignment's status, done_on and report);
- ``clearable``: fields that may only be set to NULL on a final row (an audit row's user when the user is deleted).

The one condition is used three ways, so that the layers cannot disagree:

1. ``FinalRecord.save``/``delete`` refuse a change to a final row with the declaration's Russian message
   (``FinalRecordError``, a ``ValidationError``, so a view shows it like any refusal of a service);
2. ``FinalQuerySet.update``/``delete`` refuse bulk changes that touch a final row;
3. database triggers, generated here for SQLite and PostgreSQL, refuse raw SQL, cascades and every other client
   with an integrity error (SQLite ``RAISE(ABORT)``, PostgreSQL SQLSTATE 23000); on PostgreSQL a statement-level
   trigger also refuses ``TRUNCATE`` of every guarded table. This is the guarantee; 1 and 2 give a clear message.

The triggers are (re)installed after every ``migrate`` (``connect_post_migrate``; SQLite drops a table's triggers
when a migration rebuilds it) and around ``flush`` (``communities/management/commands/flush.py``), which empties
the database with DELETE (SQLite) or TRUNCATE (PostgreSQL). Only the tables' owner may drop a trigger: the portal
runs under a role that does not own them (``pos_portal/checks.py``).

This module imports no app: it finds the declarations through the app registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.signals import post_migrate

FINAL_MESSAGE = "Запись окончательная: изменить или удалить её нельзя."
DB_MESSAGE = "final record is read-only: {table} {op} refused"
PREFIX = "pos_guard_"


class FinalRecordError(ValidationError):
    """Raised on an attempt to change or delete a final record."""

    default_message = FINAL_MESSAGE

    def __init__(self, message=None):
        super().__init__(message or self.default_message, code="final")


@dataclass(frozen=True)
class Final:
    """When a row of a model is final, and what of it may still change (see the module's docstring)."""

    when: str | None = None
    parent: str | None = None
    append_only: bool = False
    editable: frozenset[str] = field(default_factory=frozenset)
    clearable: frozenset[str] = field(default_factory=frozenset)
    message: str = FINAL_MESSAGE
    error: type[FinalRecordError] = FinalRecordError

    def __post_init__(self):
        if sum((self.when is not None, self.parent is not None, self.append_only)) != 1:
            raise ValueError("Final: give exactly one of when, parent or append_only.")
        object.__setattr__(self, "editable", frozenset(self.editable))
        object.__setattr__(self, "clearable", frozenset(self.clearable))

    def refuse(self) -> FinalRecordError:
        return self.error(self.message)


def q(name: str) -> str:
    """A quoted SQL name (the same for SQLite and PostgreSQL): columns such as ``order`` are keywords."""
    return f'"{name}"'


def rule_of(model) -> Final | None:
    rule = getattr(model, "FINAL", None)
    return rule if isinstance(rule, Final) else None


def condition(model, row: str) -> str:
    """The SQL condition under which ``row`` (``OLD``, ``NEW`` or the model's table) of ``model`` is final."""
    rule = rule_of(model)
    if rule.append_only:
        return "1 = 1"
    if rule.when is not None:
        return rule.when.format(row=row)
    fk = model._meta.get_field(rule.parent)
    parent = fk.related_model
    table = q(parent._meta.db_table)
    # Table and column names of the models only, no user input.
    join = f"{table}.{q(parent._meta.pk.column)} = {row}.{q(fk.column)}"
    return f"EXISTS (SELECT 1 FROM {table} WHERE {join} AND {condition(parent, table)})"  # noqa: S608


def _final_rows(queryset):
    model = queryset.model
    return queryset.extra(where=[condition(model, q(model._meta.db_table))])  # noqa: S610 - generated, no user input


class FinalQuerySet(models.QuerySet):
    def final(self):
        """The rows that are final."""
        return _final_rows(self)

    def update(self, **kwargs):
        rule = rule_of(self.model)
        if set(kwargs) - rule.editable and self.final().exists():
            raise rule.refuse()
        return super().update(**kwargs)

    def delete(self):
        if self.final().exists():
            raise rule_of(self.model).refuse()
        return super().delete()

    delete.queryset_only = True


class FinalRecord(models.Model):
    """Base of a model with a ``FINAL`` declaration: its rows refuse save and delete once final.

    The model gives itself ``objects = FinalQuerySet.as_manager()`` (or a subclass) for the bulk operations.
    """

    FINAL: Final

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        rule = rule_of(type(self))
        update_fields = kwargs.get("update_fields")
        if self.is_final() and self._touches_frozen_fields(update_fields):
            raise rule.refuse()
        # A new row, or a row moved under another parent, must not join a final parent.
        if self._parent_is_final() and (self._state.adding or self._touches_frozen_fields(update_fields)):
            raise rule.refuse()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_final():
            raise rule_of(type(self)).refuse()
        return super().delete(*args, **kwargs)

    def is_final(self) -> bool:
        """Whether this row, as stored, is final."""
        if self.pk is None or self._state.adding:
            return False
        return _final_rows(type(self)._base_manager.filter(pk=self.pk)).exists()

    def _parent_is_final(self) -> bool:
        rule = rule_of(type(self))
        if not rule.parent:
            return False
        parent_id = getattr(self, self._meta.get_field(rule.parent).attname)
        if parent_id is None:
            return False
        parent = self._meta.get_field(rule.parent).related_model
        return _final_rows(parent._base_manager.filter(pk=parent_id)).exists()

    def _touches_frozen_fields(self, update_fields) -> bool:
        rule = rule_of(type(self))
        if not rule.editable:
            return True
        if update_fields is not None:
            return bool(set(update_fields) - rule.editable)
        frozen = [f.attname for f in self._meta.concrete_fields if f.name not in rule.editable and not f.primary_key]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*frozen).first()
        return stored is None or any(stored[name] != getattr(self, name) for name in frozen)


# --- database triggers ---------------------------------------------------------------------------------------


def guarded_models(app_config=None) -> list:
    """Every concrete model with a ``FINAL`` declaration (of one app, or of all)."""
    candidates = app_config.get_models() if app_config is not None else apps.get_models()
    return [m for m in candidates if rule_of(m) and not m._meta.proxy and m._meta.managed]


def guards(model, distinct: str) -> dict[str, str]:
    """operation -> the condition (SQL on OLD/NEW) under which the database refuses it."""
    rule = rule_of(model)
    old = condition(model, "OLD")
    columns = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in rule.editable]
    changed = [
        f"(NEW.{q(f.column)} {distinct} OLD.{q(f.column)} AND NEW.{q(f.column)} IS NOT NULL)"
        if f.name in rule.clearable
        else f"NEW.{q(f.column)} {distinct} OLD.{q(f.column)}"
        for f in columns
    ]
    touches = "(" + " OR ".join(changed) + ")" if changed else "1 = 0"
    if rule.parent:
        new = condition(model, "NEW")
        final = f"({old} OR {new})"
        ops = {"INSERT": new}
    else:
        final = old
        ops = {}
    ops["UPDATE"] = f"({final} AND {touches})" if rule.editable or rule.clearable else final
    ops["DELETE"] = old
    return ops


def sqlite_statements(models_) -> tuple[list[str], list[str]]:
    create, drop = [], []
    for model in models_:
        table = model._meta.db_table
        for op, cond in guards(model, "IS NOT").items():
            name = f"{PREFIX}{table}_{op.lower()}"
            create.append(
                f"CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW WHEN {cond} "
                f"BEGIN SELECT RAISE(ABORT, '{DB_MESSAGE.format(table=table, op=op)}'); END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
    return create, drop


TRUNCATE_FUNCTION = f"{PREFIX}refuse_truncate"


def postgresql_statements(models_) -> tuple[list[str], list[str]]:
    create = [
        f"CREATE OR REPLACE FUNCTION {TRUNCATE_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  RAISE EXCEPTION 'final record is read-only: % TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = '23000';\n"
        "END;\n$$"
    ]
    drop = []
    for model in models_:
        table = model._meta.db_table
        ops = guards(model, "IS DISTINCT FROM")
        function = f"{PREFIX}{table}"
        if len(f"{function}_truncate") > 63:  # PostgreSQL would silently cut the name, and two guards could collide
            raise ValueError(f"The table name {table} is too long for the names of its guards.")
        checks = "\n".join(
            f"  IF TG_OP = '{op}' THEN IF {cond} THEN "
            f"RAISE EXCEPTION '{DB_MESSAGE.format(table=table, op=op)}' USING ERRCODE = '23000'; END IF; END IF;"
            for op, cond in ops.items()
        )
        create.append(
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n{checks}\n"
            "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n  RETURN NEW;\nEND;\n$$"
        )
        create.append(
            f"CREATE TRIGGER {function} BEFORE {' OR '.join(ops)} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
        create.append(
            f"CREATE TRIGGER {function}_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {TRUNCATE_FUNCTION}()"
        )
        drop.append(f"DROP TRIGGER IF EXISTS {function} ON {table}")
        drop.append(f"DROP TRIGGER IF EXISTS {function}_truncate ON {table}")
        drop.append(f"DROP FUNCTION IF EXISTS {function}()")
    return create, drop


def statements(vendor: str, models_=None) -> tuple[list[str], list[str]]:
    """(create, drop) statements of the guards of ``models_`` (default: every guarded model)."""
    models_ = guarded_models() if models_ is None else models_
    if vendor == "sqlite":
        return sqlite_statements(models_)
    if vendor == "postgresql":
        return postgresql_statements(models_)
    raise NotImplementedError(f"No final-record guards for the {vendor} database.")


def _existing(connection, models_) -> list:
    tables = set(connection.introspection.table_names())
    return [m for m in models_ if m._meta.db_table in tables]


def install_guards(using: str = "default", app_config=None) -> None:
    """(Re)create the guards of every guarded table (of one app, or of all) that exists; idempotent."""
    connection = connections[using]
    create, drop = statements(connection.vendor, _existing(connection, guarded_models(app_config)))
    with connection.cursor() as cursor:
        for sql in drop + create:
            cursor.execute(sql)


def drop_guards(using: str = "default") -> None:
    """Drop every guard: only the tables' owner may, e.g. to empty the database (``flush``)."""
    connection = connections[using]
    _create, drop = statements(connection.vendor, _existing(connection, guarded_models()))
    with connection.cursor() as cursor:
        for sql in drop:
            cursor.execute(sql)


def _install_on_migrate(sender, app_config=None, using="default", **kwargs):
    if guarded_models(app_config):
        install_guards(using, app_config)


def connect_post_migrate() -> None:
    """After every ``migrate`` (and ``flush``), each app's guarded tables get their triggers again."""
    post_migrate.connect(_install_on_migrate, dispatch_uid="pos_final_records")
