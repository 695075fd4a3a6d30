"""The real path: a signed protocol's letters go through the database queue (django-tasks-db), a real
``manage.py db_worker`` process and SMTP to a local server (aiosmtpd on 127.0.0.1), and arrive each exactly once
although the worker is killed in the middle of a delivery and started again.

The world is built and the protocol signed in this process (``transactional_db``: the commits are real, so the
tasks are queued); the worker works on the same database: the test database's file (SQLite: the in-memory test
database is copied to a file, then read back from it) or the PostgreSQL test database itself."""

import asyncio
import email
import email.policy
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.db import connection

from meetings.services import protocol_sign
from notifications.models import Outbox
from tests.conftest import appoint, build_protocol, teacher_with_login
from tests.factories import PAST_YEAR_START, AssignmentFactory, CommunityFactory, MembershipFactory

pytestmark = [pytest.mark.slow, pytest.mark.worker]

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 5
TIMEOUT = 40


class Mailbox:
    """An SMTP server's handler that keeps what it accepted; it holds the third letter (the client waits for the
    answer) until ``release``, then refuses it with a temporary error, as a server does whose client went away."""

    def __init__(self):
        self.accepted: list[tuple[str, str]] = []
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if len(self.accepted) == 2 and not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Try again later"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.accepted.append((str(message["To"]), " ".join(str(message["Subject"]).split())))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, what: str, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


class Database:
    """Where the worker finds the test database, and how this process reads the outbox back from there."""

    def __init__(self, tmp_path):
        settings = connection.settings_dict
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.file = tmp_path / "db.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.file) as target:
                connection.connection.backup(target)
            self.url = f"sqlite:///{self.file}"
        else:
            auth = f"{settings['USER']}:{settings['PASSWORD']}@" if settings["USER"] else ""
            self.url = (
                f"postgres://{auth}{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{settings['NAME']}"
            )

    def outbox(self) -> list[tuple[str, int]]:
        if self.vendor == "sqlite":
            with sqlite3.connect(self.file) as db:
                return db.execute("SELECT status, attempts FROM notifications_outbox ORDER BY id").fetchall()
        return list(Outbox.objects.order_by("pk").values_list("status", "attempts"))


def environment(database, port, media_root):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("EMAIL_", "TASKS_"))}
    env.update(
        SECRET_KEY="worker-test-key",
        DEBUG="0",
        DJANGO_ENV="development",
        SECURE_SSL_REDIRECT="0",
        DATABASE_URL=database.url,
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        MEDIA_ROOT=str(media_root),
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, **kwargs)


def start_worker(env):
    return manage(
        env,
        "db_worker",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0.1",
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture
def smtp():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield mailbox, controller.port
    mailbox.release.set()
    controller.stop()


def test_a_signed_protocols_letters_arrive_once_across_a_killed_worker(transactional_db, settings, tmp_path, smtp):
    mailbox, port = smtp
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    community = CommunityFactory(name="ПОС учителей математики")
    leader = teacher_with_login("leader", surname="Смирнова", email="leader@example.org")
    appoint(community, leader)
    members = []
    for number in range(MEMBERS):
        teacher = teacher_with_login(f"member{number}", surname=f"Членова{number}", email=f"m{number}@example.org")
        MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START)
        members.append(teacher)
    protocol = build_protocol(community, leader, [leader, *members])
    AssignmentFactory(decision=protocol.meeting.agenda.get().decisions.get(), responsible=members[0])
    protocol_sign(protocol=protocol, user=leader.user)  # commits: six letters queued, none sent
    expected = {(f"m{n}@example.org", f"Протокол № {protocol.number}") for n in range(MEMBERS)}
    expected.add(("m0@example.org", "Вам дано поручение"))
    assert len(Outbox.objects.all()) == len(expected)

    database = Database(tmp_path)
    env = environment(database, port, settings.MEDIA_ROOT)

    worker = start_worker(env)
    try:
        wait_for(mailbox.holding.is_set, "the third letter to reach the server")
        worker.send_signal(signal.SIGKILL)  # killed while the server has not yet accepted the third letter
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    mailbox.release.set()
    assert len(mailbox.accepted) == 2
    statuses = [status for status, _attempts in database.outbox()]
    assert statuses.count("sent") == 2 and statuses.count("pending") == 4

    # The timer's notifications_retry gives the letter the dead worker held back to the queue (no worker is running:
    # nothing is being sent, so no lease needs to pass), then a new worker sends the rest.
    retry = subprocess.run(
        [sys.executable, "manage.py", "notifications_retry", "--stale-seconds", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert retry.returncode == 0, retry.stderr
    # The held letter and the three still queued: those get a second task each, and are sent once all the same.
    assert "снова: 4" in retry.stdout
    worker = start_worker(env)
    try:
        wait_for(lambda: len(mailbox.accepted) >= len(expected), "every letter")
        time.sleep(1.5)  # a second copy, if there were one, would come now
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()

    arrived = [(to, subject.split(" от ")[0].split(" до ")[0]) for to, subject in mailbox.accepted]
    assert sorted(arrived) == sorted(expected)  # each exactly once
    outbox = database.outbox()
    assert [status for status, _attempts in outbox] == ["sent"] * len(expected)
    assert sorted(attempts for _status, attempts in outbox) == [1] * (len(expected) - 1) + [2]
