from reports.models.annual_reports import AnnualReport
from reports.models.documents import ProtocolDocument
from reports.models.verification import VerifiableDocument

__all__ = [
    "AnnualReport",
    "ProtocolDocument",
    "VerifiableDocument",
]
