"""Forms of the meetings pages: ``meetings.py`` (the meeting and protocol editor) and ``assignments.py`` (the
assignment list filter and the report on an assignment). The names of ``meetings.py`` are also importable from
here."""

from meetings.forms.meetings import *  # noqa: F403 - the names of its __all__
