"""Forms of the communities pages: ``communities.py`` (communities, members, materials) and ``plans.py`` (the annual
plan and its planned events). The names of ``communities.py`` are also importable from here."""

from communities.forms.communities import *  # noqa: F403 - the names of its __all__
