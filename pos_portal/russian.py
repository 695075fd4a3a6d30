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
