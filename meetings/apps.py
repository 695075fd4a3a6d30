from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Заседания и протоколы"

    def ready(self):
        from communities import data_version
        from meetings.models import AgendaItem, Assignment, Decision, Meeting, Protocol
        from meetings.receivers import log_protocol_signed
        from meetings.services.assignments import apply_follow_ups_on_signing
        from meetings.signals import protocol_signed

        # The security log of signings (pos_portal.security_log imports no app: meetings connects its own receiver).
        protocol_signed.connect(log_protocol_signed, sender=Protocol, dispatch_uid="pos_security_protocol_signed")
        # The statuses of the assignments a follow-up question decided on follow the signing.
        protocol_signed.connect(apply_follow_ups_on_signing, sender=Protocol, dispatch_uid="pos_follow_ups_apply")
        # The sessions held and the overdue assignments of the reports (a question and a decision: the way from an
        # assignment to its meeting, which the admin may change).
        data_version.watch(Meeting, Protocol, Assignment, AgendaItem, Decision)
