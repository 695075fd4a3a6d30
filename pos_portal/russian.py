"""Russian text helpers that every layer may use."""


def plural(number: int, one: str, few: str, many: str) -> str:
    """The noun form that agrees with ``number``: 1 заседание, 2 заседания, 5 заседаний, 11 заседаний,
    21 заседание, 112 заседаний (negative numbers agree as their absolute value)."""
    number = abs(number)
    if number % 10 == 1 and number % 100 != 11:
        return one
    if 2 <= number % 10 <= 4 and not 12 <= number % 100 <= 14:
        return few
    return many


#: Russian letters in Latin (lower case), for logins, e-mail addresses and ASCII file names.
LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_LATIN_TABLE = str.maketrans({**LATIN, **{letter.upper(): latin.capitalize() for letter, latin in LATIN.items()}})


def transliterate(text: str) -> str:
    """Russian letters in Latin, the case kept («Щукина Ёлка» → «Shchukina Elka»); other characters unchanged."""
    return text.translate(_LATIN_TABLE)
