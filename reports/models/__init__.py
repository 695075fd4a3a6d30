from reports.models.annual_reports import AnnualReport
from reports.models.documents import CorrectionDocument, ProtocolDocument, StoredDocument

__all__ = [
    "AnnualReport",
    "CorrectionDocument",
    "ProtocolDocument",
    "StoredDocument",
]
