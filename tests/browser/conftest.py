"""Browser journeys: Playwright for Python driving Debian's Chromium against pytest-django's live server.

- Chromium is ``/usr/bin/chromium`` (or ``$CHROMIUM``); Playwright's own browser download is never used.
- Without Chromium the tests are skipped with the reason, except under ``REQUIRE_BROWSER=1`` (CI), where a missing
  browser, and any other skip of a browser test, is a failure.
- With ``SCREENSHOTS=1`` the journeys save screenshots of the main pages to ``docs/screenshots/``
  (``make screenshots``).
"""

import datetime as dt
import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect, sync_playwright

from meetings.models import Protocol
from meetings.services import protocol_create, protocol_sign
from pos_portal.academic_year import AcademicYear
from pos_portal.roles import METHODISTS_GROUP
from tests.browser.axe import AxeScan
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    AttendanceFactory,
    DecisionFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    RegulationFactory,
    UserFactory,
)

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
#: Flags of the issue: no sandbox (containers), no GPU, and nothing that talks to Google's servers.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "demo-password"  # tests.factories.UserFactory
SCREENSHOT_DIR = Path(django_settings.BASE_DIR) / "docs" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}
#: Timeout of every Playwright action and expectation, ms: a page of the live server answers in well under a second.
TIMEOUT_MS = 15_000
expect.set_options(timeout=TIMEOUT_MS)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


REQUIRE_BROWSER = _flag("REQUIRE_BROWSER")
SCREENSHOTS = _flag("SCREENSHOTS")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if REQUIRE_BROWSER and item.get_closest_marker("browser") and report.skipped:
        # CI must run the journeys: a skipped journey is a failed one. (That at least one ran is checked by
        # tests/conftest.py, which the controller of a parallel run loads too.)
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"REQUIRE_BROWSER=1, but the browser test was skipped: {reason}"
    return report


#: What the journeys counted (page loads, keystrokes), by journey: shown at the end of the run and written to
#: ``JOURNEY_COUNTS_FILE`` (tests/browser/test_protocol_one_page.py).
JOURNEY_COUNTS: dict[str, dict] = {}
JOURNEY_COUNTS_FILE = Path(
    os.environ.get("JOURNEY_COUNTS_FILE", Path(django_settings.BASE_DIR) / "bench" / ".work" / "journey-counts.json")
)


def record_counts(journey: str, counts: dict) -> None:
    JOURNEY_COUNTS[journey] = counts
    JOURNEY_COUNTS_FILE.parent.mkdir(parents=True, exist_ok=True)
    JOURNEY_COUNTS_FILE.write_text(json.dumps(JOURNEY_COUNTS, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def pytest_terminal_summary(terminalreporter):
    if not JOURNEY_COUNTS:
        return
    terminalreporter.section("browser journeys: what the user did")
    for journey, counts in JOURNEY_COUNTS.items():
        terminalreporter.write_line(f"{journey}: " + ", ".join(f"{key} {value}" for key, value in counts.items()))
    terminalreporter.write_line(f"(written to {JOURNEY_COUNTS_FILE})")


class Counted:
    """The page, with what the user does counted: full page loads (the ``load`` of the main frame), keystrokes
    (each character filled or typed, each key pressed) and clicks."""

    def __init__(self, page):
        self.page = page
        self.loads = 0
        self.keystrokes = 0
        self.clicks = 0
        page.on("load", self._loaded)

    def _loaded(self, _page):
        self.loads += 1

    def fill(self, locator, value: str):
        locator.fill(value)
        self.keystrokes += len(value)

    def press(self, locator, key: str):
        locator.press(key)
        self.keystrokes += 1

    def click(self, locator):
        locator.click()
        self.clicks += 1

    def check(self, locator, checked: bool):
        locator.set_checked(checked)
        self.clicks += 1

    def select(self, locator, value: str):
        locator.select_option(value)
        self.clicks += 1

    def login(self, username: str, password: str = PASSWORD):
        """Sign in through the login page, counted."""
        self.page.goto("/accounts/login/")
        self.fill(self.page.get_by_label("Имя пользователя"), username)
        self.fill(self.page.get_by_label("Пароль"), password)
        self.click(self.page.get_by_role("button", name="Войти"))
        self.page.wait_for_url("**/")

    def report(self) -> dict:
        return {"page_loads": self.loads, "keystrokes": self.keystrokes, "clicks": self.clicks}


def _unavailable(reason: str):
    if REQUIRE_BROWSER:
        pytest.fail(f"REQUIRE_BROWSER=1: {reason}", pytrace=False)
    pytest.skip(f"{reason} — browser journeys skipped (apt-get install chromium)")


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module."""
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    # Playwright's sync API keeps an asyncio event loop running in this thread (it switches to it with
    # greenlets), so Django sees "an async context" and refuses the ORM calls the test makes in this thread:
    # building data, asserting on the database, and pytest-django's flush after each test. Nothing here is
    # really concurrent: the test thread is blocked whenever the loop runs. The live server answers in its own
    # thread, where no loop runs. Allowed for this module only, and restored afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_server, transactional_db, settings, tmp_path):
    """A fresh browser profile (no cookies) on the live server, in Russian, 1280 px wide."""
    settings.MEDIA_ROOT = tmp_path / "media"
    context = chromium.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="ru-RU", timezone_id=django_settings.TIME_ZONE
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    # A browser error on the page (a broken script) fails the journey.
    errors = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    # Every page the journey visits is scanned by axe-core; a serious or critical violation fails the journey.
    axe = AxeScan(tab, live_server.url).attach()
    yield tab
    axe.scan_if_new()
    context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"
    print(f"axe-core: {len(axe.scanned)} pages scanned, {len(axe.violations)} serious or critical violations")
    assert axe.scanned, "axe-core scanned no page"
    assert not axe.violations, "Accessibility (axe-core), serious or critical:\n" + "\n".join(axe.violations)


def login(page, username: str, password: str = PASSWORD):
    """Sign in through the login page, as a person does."""
    page.goto("/accounts/login/")
    page.get_by_label("Имя пользователя").fill(username)
    page.get_by_label("Пароль").fill(password)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/")


@pytest.fixture
def confirmations(page):
    """Answers «OK» to the ``data-confirm`` questions (window.confirm) of the portal's forms; the list of the
    questions asked."""
    questions = []

    def accept(dialog):
        questions.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return questions


def download(page, click) -> tuple[str, bytes]:
    """Click what starts a download (an attachment) and return the file's suggested name and bytes."""
    with page.expect_download() as info:
        click()
    downloaded = info.value
    return downloaded.suggested_filename, Path(downloaded.path()).read_bytes()


def save_link(page, link) -> tuple[str, bytes]:
    """Save the document a link points to, as a person does with Alt+click: Chromium would otherwise show a PDF
    the portal serves inline in its viewer, where the test cannot read it."""
    return download(page, lambda: link.click(modifiers=["Alt"]))


# --- screenshots -------------------------------------------------------------------------------------------------


def _save_png(png: bytes, name: str, width: int = VIEWPORT["width"], max_height: int = 1400):
    """Keep the PNG small for the repository: at most ``width`` wide and ``max_height`` tall, 64 colours."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    if image.width > width:
        image = image.resize((width, round(image.height * width / image.width)), Image.Resampling.LANCZOS)
    if image.height > max_height:
        image = image.crop((0, 0, image.width, max_height))
    image = image.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    image.save(SCREENSHOT_DIR / f"{name}.png", optimize=True)


def screenshot(page, name: str, full_page: bool = False):
    """With SCREENSHOTS=1, save what the user sees now as docs/screenshots/<name>.png."""
    if SCREENSHOTS:
        _save_png(page.screenshot(full_page=full_page, animations="disabled"), name)


def screenshot_pdf(pdf: bytes, name: str, tmp_path: Path):
    """With SCREENSHOTS=1, the first page of a PDF as docs/screenshots/<name>.png (needs pdftoppm from
    poppler-utils; without it that one screenshot is left out)."""
    if not SCREENSHOTS:
        return
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print(f"pdftoppm not found (apt-get install poppler-utils): {name}.png not made")
        return
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", str(source), str(tmp_path / name)],
        check=True,
        timeout=60,
    )
    _save_png((tmp_path / f"{name}.png").read_bytes(), name, width=920)


# --- data: a small district, built with the factories and services -----------------------------------------------


def this_year() -> AcademicYear:
    return AcademicYear.of(timezone.localdate())


def recent_day() -> dt.date:
    """A past day of the current academic year (today on its first days)."""
    today = timezone.localdate()
    return max(this_year().start, today - dt.timedelta(days=14))


@pytest.fixture
def methodist(db):
    """As tests.conftest.methodist, but the group may be gone: a transactional test before this one flushed the
    database, and with it the group made by a data migration."""
    group, _created = Group.objects.get_or_create(name=METHODISTS_GROUP)
    user = UserFactory(username="metodist", first_name="Марина", last_name="Соловьёва")
    user.groups.add(group)
    return user


COLLEAGUES = [
    ("Белова", "Светлана", "Андреевна", "учитель математики"),
    ("Орлов", "Дмитрий", "Сергеевич", "учитель математики и информатики"),
    ("Зайцева", "Наталья", "Игоревна", "учитель математики"),
    ("Лебедева", "Елена", "Михайловна", "учитель физики"),
]


@pytest.fixture
def math_team(community, leader, member):
    """The leader's community with four more members, and the district regulation every member must read."""
    school = OrganizationFactory(
        short_name="МОУ Лицей № 1", full_name="Муниципальное общеобразовательное учреждение «Лицей № 1»"
    )
    for person in (leader, member):
        person.organization = school
        person.position = "учитель математики"
        person.save(update_fields=["organization", "position"])
    colleagues = [
        MembershipFactory(
            community=community,
            joined_on=dt.date(2024, 9, 1),
            teacher__surname=surname,
            teacher__name=name,
            teacher__patronymic=patronymic,
            teacher__position=position,
        ).teacher
        for surname, name, patronymic, position in COLLEAGUES
    ]
    community.theme = "Формирующее оценивание на уроках математики"
    community.save(update_fields=["theme"])
    RegulationFactory(
        community=None,
        title="Положение о профессиональных обучающихся сообществах педагогов Тутаевского муниципального района",
        text="1. Общие положения.\n\n1.1. Профессиональное обучающееся сообщество (ПОС) — объединение педагогов.\n\n"
        "4.2. Заседания ПОС проводятся не реже 4 раз в учебный год.",
    )
    return colleagues


def held_meeting(community, leader, present, *, day, topic, assignment_for=None, sign=True) -> Protocol:
    """A held meeting of ``community`` with attendance, one question with its decision (and an assignment),
    and its protocol, signed by ``leader`` unless ``sign`` is false."""
    meeting = MeetingFactory(community=community, date=day, topic=topic)
    for teacher in present:
        AttendanceFactory(meeting=meeting, teacher=teacher)
    meeting.attendance_confirm(leader)
    item = AgendaItemFactory(meeting=meeting, order=1, question=topic, speaker=leader)
    decision = DecisionFactory(agenda_item=item, text="Принять к сведению и использовать в работе.")
    if assignment_for is not None:
        AssignmentFactory(
            decision=decision,
            text="Подготовить открытый урок с приёмами формирующего оценивания.",
            responsible=assignment_for,
            deadline=timezone.localdate() + dt.timedelta(days=21),
        )
    protocol = protocol_create(meeting=meeting, chair=leader)
    return protocol_sign(protocol=protocol, user=leader.user) if sign else protocol
