from reports.models.annual_reports import AnnualReport
from reports.models.documents import ProtocolDocument
from reports.models.freshness import DataVersion

__all__ = [
    "AnnualReport",
    "DataVersion",
    "ProtocolDocument",
]
