"""Who gets a community's documents (its PDFs and .docx files), persona by persona, for the documents' own
access tests: its readers get it, the others get 404 as for its pages."""

import pytest

#: ``@COMMUNITY_READERS`` parametrizes a test with ``persona`` and the ``status`` it gets.
COMMUNITY_READERS = pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("leader", 200),
        ("member", 200),
        ("methodist", 200),
        ("admin_user", 200),
        ("outsider", 404),
        ("other_leader", 404),
    ],
)


def log_in(request, client, persona: str) -> None:
    """Sign ``client`` in as the conftest fixture ``persona`` (a teacher's user, or a user)."""
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
