from reports.models.annual_reports import AnnualReport
from reports.models.documents import CorrectionDocument, ProtocolDocument, StoredDocument
from reports.models.verification import VerifiableDocument

__all__ = [
    "AnnualReport",
    "CorrectionDocument",
    "ProtocolDocument",
    "StoredDocument",
    "VerifiableDocument",
]
