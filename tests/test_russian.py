"""pos_portal.russian: the one Russian plural and the one transliteration every page, PDF and the demo data use."""

import pytest

from pos_portal.russian import plural, transliterate
from reports.pdf import ascii_filename

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


def test_transliterate_keeps_the_case_and_leaves_other_characters():
    assert transliterate("Щукина Ёлка, № 5") == "Shchukina Elka, № 5"
    assert transliterate("ЖЭК ъь") == "ZhEK "


def test_the_pdf_file_name_and_the_demo_logins_read_the_same_letters():
    from demo.data import translit

    assert ascii_filename("Протокол № 3 ПОС Щукиной.pdf") == "Protokol-N-3-POS-Shchukinoy.pdf"
    assert translit("Щукина") == "shchukina"
