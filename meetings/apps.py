from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Заседания и протоколы"

    def ready(self):
        from communities import freshness
        from meetings.models import Assignment, Meeting, Protocol
        from pos_portal.security_log import connect_signing_signal

        connect_signing_signal()  # the security log of signings
        freshness.watch(Meeting, Protocol, Assignment)  # the sessions held and the overdue assignments of the reports
