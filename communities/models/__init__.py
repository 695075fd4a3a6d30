from communities.models.communities import Community, LeaderAppointment, Membership
from communities.models.data_version import DataVersion
from communities.models.materials import Material
from communities.models.people import (
    IOC_FULL_NAME,
    Organization,
    Teacher,
    ioc_full_name,
    ioc_full_name_subquery,
    ioc_short_name,
)
from communities.models.plans import AnnualPlan, PlanItem
from communities.models.regulations import Acknowledgement, Regulation
from communities.models.submissions import FormSubmission

__all__ = [
    "IOC_FULL_NAME",
    "Acknowledgement",
    "AnnualPlan",
    "Community",
    "DataVersion",
    "FormSubmission",
    "LeaderAppointment",
    "Material",
    "Membership",
    "Organization",
    "PlanItem",
    "Regulation",
    "Teacher",
    "ioc_full_name",
    "ioc_full_name_subquery",
    "ioc_short_name",
]
