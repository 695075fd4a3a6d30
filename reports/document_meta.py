"""What every PDF says about itself (its document information and XMP): the title, the organization that issues it
as the author, the subject, and Russian as its language. Computed here only, for every template
(``reports.pdf.render_pdf`` hands it to ``templates/reports/pdf/base.html``, whose ``<title>``, ``<meta name=author>``,
``<meta name=description>`` and ``<html lang>`` WeasyPrint writes as /Title, /Author, /Subject and /Lang).

The author is the organization printed at the top of the document: a community's own organization, the ИОЦ for a
municipal community and for the district's documents (``reports.annual_documents.organization_name``).
"""

from __future__ import annotations

from dataclasses import dataclass

from communities.models import ioc_full_name
from reports.annual_documents import organization_name

LANGUAGE = "ru"

#: The subject of each document, by its template.
SUBJECTS = {
    "reports/pdf/protocol.html": "Протокол заседания профессионального обучающегося сообщества",
    "reports/pdf/extract.html": "Выписка из протокола заседания профессионального обучающегося сообщества",
    "reports/pdf/acknowledgement_sheet.html": "Лист ознакомления с документом",
    "reports/pdf/annual_plan.html": "План работы профессионального обучающегося сообщества на учебный год",
    "reports/pdf/annual_report.html": "Отчёт о деятельности профессионального обучающегося сообщества",
    "reports/pdf/district_summary.html": "Сводка о деятельности профессиональных обучающихся сообществ",
}
DEFAULT_SUBJECT = "Документ ПОС-портала"


@dataclass(frozen=True)
class DocumentMeta:
    author: str
    subject: str
    language: str = LANGUAGE


def document_author(context: dict) -> str:
    """The organization that issues the document of ``context`` (whichever document's context it is)."""
    for key in ("organization_name", "organization"):  # the plan and the report; the district summary
        if isinstance(context.get(key), str) and context[key].strip():
            return context[key]
    doc = context.get("doc")  # the protocol and the extract: a municipal community's is the ИОЦ's
    if doc is not None:
        return doc.heading.organization or ioc_full_name()
    community = context.get("community")  # the acknowledgement sheet (None: a district-wide regulation)
    return organization_name(community) if community is not None else ioc_full_name()


def document_meta(template_name: str, context: dict) -> DocumentMeta:
    return DocumentMeta(author=document_author(context), subject=SUBJECTS.get(template_name, DEFAULT_SUBJECT))
