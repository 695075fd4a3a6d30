from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Отчёты"

    def ready(self):
        from communities import data_version, page_parts
        from meetings.models import Protocol, ProtocolCorrection
        from meetings.signals import protocol_corrected, protocol_signed
        from reports import community_parts
        from reports.models import AnnualReport
        from reports.receivers import store_correction_pdf, store_signed_protocol_pdf

        protocol_signed.connect(store_signed_protocol_pdf, sender=Protocol, dispatch_uid="reports_store_signed_pdf")
        protocol_corrected.connect(
            store_correction_pdf, sender=ProtocolCorrection, dispatch_uid="reports_store_correction_pdf"
        )
        data_version.watch(AnnualReport)  # the report of section 6 in the dashboard's checklist
        data_version.cached_page("reports:dashboard", "dashboard")
        data_version.cached_page("home", "home-attention")  # the methodist's home: communities needing attention
        data_version.cached_page("reports:dashboard_xlsx", "dashboard_xlsx")
        data_version.cached_page("reports:district_summary_pdf", "district_summary_pdf")
        data_version.cached_page("reports:district_summary_docx", "district_summary_docx")
        # The community page shows the annual report's button and the line about regulation 4.2.
        page_parts.register("actions", community_parts.annual_report_link)
        page_parts.register("summary", community_parts.compliance_line)
        page_parts.register("documents", community_parts.documents_checklist)
