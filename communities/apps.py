from django.apps import AppConfig
from django.db.backends.signals import connection_created


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = "Сообщества (ПОС)"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from communities import data_version
        from communities.models import (
            AnnualPlan,
            Community,
            LeaderAppointment,
            Membership,
            Organization,
            Regulation,
            Teacher,
        )
        from pos_portal import checks, final_records, sessions, two_factor
        from pos_portal.search import register_sqlite_functions
        from pos_portal.security_log import connect_auth_signals

        connection_created.connect(register_sqlite_functions, dispatch_uid="pos_sqlite_unicode_case")
        # Every app's final records (FINAL declarations) get their database triggers after migrate.
        final_records.connect_post_migrate()
        checks.register_checks()
        connect_auth_signals()  # the security log of sign-ins
        # A sign-in starts the session's clocks and decides afresh whether it needs a second-factor code.
        user_logged_in.connect(sessions.on_login, dispatch_uid="pos_session_clock")
        user_logged_in.connect(two_factor.on_login, dispatch_uid="pos_two_factor_login")
        # What the district-wide cached pages show (communities/data_version.py).
        data_version.watch(Organization, Teacher, Community, Membership, LeaderAppointment, Regulation, AnnualPlan)
        data_version.cached_page("communities:list", "community-list", "community-list-found")
