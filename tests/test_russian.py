"""pos_portal.russian.plural: the one Russian plural every page, PDF and the demo data use."""

import pytest

from pos_portal.russian import plural

FORMS = ("педагог", "педагога", "педагогов")


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (0, "педагогов"),
        (1, "педагог"),
        (2, "педагога"),
        (4, "педагога"),
        (5, "педагогов"),
        (11, "педагогов"),
        (12, "педагогов"),
        (14, "педагогов"),
        (21, "педагог"),
        (22, "педагога"),
        (101, "педагог"),
        (111, "педагогов"),
        (112, "педагогов"),
        (1021, "педагог"),
        (-1, "педагог"),
        (-3, "педагога"),
    ],
)
def test_plural_agrees_with_the_number(number, word):
    assert plural(number, *FORMS) == word
