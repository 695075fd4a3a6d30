from reports.models.annual_reports import AnnualReport
from reports.models.documents import ProtocolDocument

__all__ = [
    "AnnualReport",
    "ProtocolDocument",
]
