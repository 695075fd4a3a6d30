from django.urls import path

from reports.views import annual_reports, check, dashboard, documents, help

app_name = "reports"

urlpatterns = [
    # the ИОЦ dashboard (methodists and the Department)
    path("reports/dashboard/", dashboard.dashboard, name="dashboard"),
    path("reports/dashboard.xlsx", dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("reports/summary.pdf", dashboard.district_summary_pdf, name="district_summary_pdf"),
    path("reports/summary.docx", dashboard.district_summary_docx, name="district_summary_docx"),
    path("help/status/", help.status_help, name="status_help"),
    # the public check of a printed document (its QR code), no sign-in
    path("check/", check.document_check_form, name="document_check_form"),
    path("check/<str:code>/", check.document_check, name="document_check"),
    # documents of one community
    path("meetings/<int:meeting_pk>/protocol.pdf", documents.protocol_pdf, name="protocol_pdf"),
    path("meetings/<int:meeting_pk>/protocol.docx", documents.protocol_docx, name="protocol_docx"),
    path("agenda/<int:item_pk>/extract.pdf", documents.extract_pdf, name="extract_pdf"),
    path("agenda/<int:item_pk>/extract.docx", documents.extract_docx, name="extract_docx"),
    path("corrections/<int:correction_pk>/correction.pdf", documents.correction_pdf_view, name="correction_pdf"),
    path("plans/<int:plan_pk>/plan.pdf", documents.plan_pdf, name="plan_pdf"),
    path("plans/<int:plan_pk>/plan.docx", documents.plan_docx, name="plan_docx"),
    path("regulations/<int:regulation_pk>/sheet.pdf", documents.acknowledgement_sheet_pdf, name="sheet_pdf"),
    path("regulations/<int:regulation_pk>/sheet.docx", documents.acknowledgement_sheet_docx, name="sheet_docx"),
    # annual activity reports
    path("reports/annual/", annual_reports.annual_report_list, name="annual_report_list"),
    path("communities/<int:pk>/reports/<int:year>/", annual_reports.annual_report_detail, name="annual_report"),
    path(
        "communities/<int:pk>/reports/<int:year>/edit/",
        annual_reports.annual_report_edit,
        name="annual_report_edit",
    ),
    path(
        "communities/<int:pk>/reports/<int:year>/submit/",
        annual_reports.annual_report_submit,
        name="annual_report_submit",
    ),
    path(
        "communities/<int:pk>/reports/<int:year>/review/",
        annual_reports.annual_report_review,
        name="annual_report_review",
    ),
    path(
        "communities/<int:pk>/reports/<int:year>/report.pdf", annual_reports.annual_report_pdf, name="annual_report_pdf"
    ),
    path(
        "communities/<int:pk>/reports/<int:year>/report.docx",
        annual_reports.annual_report_docx,
        name="annual_report_docx",
    ),
]
