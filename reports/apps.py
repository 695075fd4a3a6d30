from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Отчёты"

    def ready(self):
        from communities import data_version
        from meetings.models import Protocol
        from meetings.signals import protocol_signed
        from reports.models import AnnualReport
        from reports.receivers import store_signed_protocol_pdf

        protocol_signed.connect(store_signed_protocol_pdf, sender=Protocol, dispatch_uid="reports_store_signed_pdf")
        data_version.watch(AnnualReport)  # the report of section 6 in the dashboard's checklist
        data_version.cached_page("reports:dashboard", "dashboard")
        data_version.cached_page("reports:dashboard_xlsx", "dashboard_xlsx")
        data_version.cached_page("reports:district_summary_pdf", "district_summary_pdf")
