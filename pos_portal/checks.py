"""System checks of the deployment (``manage.py check --deploy``).

The final records (``pos_portal.final_records``) are guarded by database triggers, and the owner of a table may
drop or disable its triggers (``ALTER TABLE … DISABLE TRIGGER``), as may a superuser. The portal therefore runs
under a role that owns no table (migrations run as the owner): ``pos.W001`` warns when the connected PostgreSQL role
is a superuser or owns (or may act as the owner of) a table of the portal.
"""

from django.core import checks
from django.db import DatabaseError, connections

OWNED_TABLES = """
SELECT count(*) FROM pg_catalog.pg_tables
WHERE schemaname = current_schema() AND pg_has_role(current_user, tableowner, 'MEMBER')
"""


def database_role(app_configs=None, **kwargs):
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user")
            role, superuser = cursor.fetchone()
            cursor.execute(OWNED_TABLES)
            (owned,) = cursor.fetchone()
    except DatabaseError as error:
        return [checks.Warning(f"Could not check the database role: {error}", id="pos.W002")]
    hint = (
        "Run the portal under a role that owns no table and has only SELECT, INSERT, UPDATE, DELETE on the tables "
        "and USAGE on the sequences; run migrate as the owner (its DATABASE_URL). See docs/deployment.md."
    )
    if superuser:
        return [checks.Warning(f"The portal connects to PostgreSQL as the superuser {role}.", hint=hint, id="pos.W001")]
    if owned:
        return [
            checks.Warning(
                f"The portal's database role {role} owns {owned} of its tables: it can disable the triggers that keep "
                "signed protocols and other final records unchanged.",
                hint=hint,
                id="pos.W001",
            )
        ]
    return []


def register_checks() -> None:
    checks.register(database_role, checks.Tags.security, deploy=True)
