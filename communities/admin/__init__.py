"""The Django admin of the Education Department (Департамент образования АТМР).

Importing the submodules registers their ModelAdmins; ``base`` holds what the meetings admin shares, ``counts`` the
Russian counted nouns, ``security`` the security apps as the Department sees them. The site-wide «delete selected»
action is the one of ``counts``, whose message agrees with the number.
"""

from django.contrib import admin

from communities.admin import communities, counts, materials, people, plans, regulations, security

admin.site.add_action(counts.delete_selected, "delete_selected")

__all__ = ["communities", "counts", "materials", "people", "plans", "regulations", "security"]
