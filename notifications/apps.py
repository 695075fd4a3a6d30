from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Уведомления"

    def ready(self):
        from communities import page_parts
        from communities.models import AnnualPlan
        from communities.signals import plan_reviewed
        from meetings.models import Assignment, Meeting, Protocol
        from meetings.signals import assignment_returned, meeting_changed, protocol_signed
        from notifications import community_parts, receivers
        from reports.models import AnnualReport
        from reports.signals import annual_report_reviewed

        protocol_signed.connect(receivers.protocol_signed, sender=Protocol, dispatch_uid="notifications_protocol")
        meeting_changed.connect(receivers.meeting_changed, sender=Meeting, dispatch_uid="notifications_meeting")
        assignment_returned.connect(
            receivers.assignment_returned, sender=Assignment, dispatch_uid="notifications_assignment_returned"
        )
        plan_reviewed.connect(receivers.plan_reviewed, sender=AnnualPlan, dispatch_uid="notifications_plan")
        annual_report_reviewed.connect(
            receivers.annual_report_reviewed, sender=AnnualReport, dispatch_uid="notifications_report"
        )
        page_parts.register("summary", community_parts.unreachable_members)
