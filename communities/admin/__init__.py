"""The Django admin of the Education Department (Департамент образования АТМР).

Importing the submodules registers their ModelAdmins; ``base`` holds what the meetings admin shares.
"""

from communities.admin import communities, materials, people, plans, regulations

__all__ = ["communities", "materials", "people", "plans", "regulations"]
