"""``make bench``: the portal at the scale of a whole region, against the same pages on the demo data.

1. Data in PostgreSQL (``BENCH_DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432``; the databases
   ``pos_bench_region`` and ``pos_bench_demo`` are created, and dropped when regenerated): the region
   (bench/regiondata.py: ~500 organizations, 3,000 communities, 40,000 teachers, 5 academic years, ~80,000
   meetings) and the demo district (``manage.py seed_demo``). Both are reused by the next run of the same day.
2. gunicorn, 2 sync workers, DEBUG off (the production profile over plain HTTP), on 127.0.0.1, with the bench-only
   pages of bench/urls.py: a bare Django page (the ceiling) and WeasyPrint rendering one line (the PDF floor).
3. A bounded load from this machine (bench/load.py): a fixed number of requests per page with a time limit,
   a few concurrent clients, signed in as the methodist or the community's leader.
4. One table with requests per second, p50 and p99 latency and the ratios page / ceiling, region / demo,
   PDF / floor; the query profile of every page (bench/profile.py); all written to docs/benchmarks.md between
   the ``bench:begin``/``bench:end`` markers (the rest of that file is kept).

    python bench/run.py [--scale 1.0] [--concurrency 4] [--regenerate] [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: python bench/run.py
    sys.path.insert(0, str(ROOT))

import psycopg2  # noqa: E402

from bench.load import Client, Result, measure  # noqa: E402

WORK = ROOT / "bench" / ".work"
REPORT = ROOT / "docs" / "benchmarks.md"
BIN = Path(sys.executable).parent
DATA_VERSION = 2  # bump when bench/regiondata.py changes what it generates
SECRET = secrets.token_urlsafe(50)
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def _redis_url() -> str:
    """BENCH_REDIS_URL, or the local Redis when one answers; empty: every worker caches in its own memory."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
    host, _, port = url.removeprefix("redis://").split("/")[0].rpartition(":")
    try:
        socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=1).close()
    except (OSError, ValueError):
        return ""
    return url


REDIS_URL = _redis_url()


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    database: str
    leader: str
    methodist: str
    password: str


DATASETS = [
    Dataset("region", "регион", "pos_bench_region", "bench_leader", "bench_metodist", "bench"),
    Dataset("demo", "демо", "pos_bench_demo", "leader", "metodist", "demo"),
]


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    kind: str  # html, pdf, static, ceiling, floor, signed_in (the empty portal page)
    user: str | None  # "leader", "methodist" or None (anonymous)
    content_type: str
    requests: int  # per round; the time limit below stops a round earlier
    seconds: float
    concurrency: int | None = None  # instead of --concurrency (a PDF of minutes would only queue)
    warmup: bool = True


#: In this order: the heavy pages last, so that what they leave in the workers' memory does not weigh on the others.
PAGES = [
    # Anonymous: with a session cookie the middleware would read the session and the user from the database.
    Page("ceiling", "Django без БД (потолок)", "ceiling", None, "text/html", 3000, 8),
    Page("static", "статический файл", "static", None, "", 3000, 8),
    Page("signed_in", "пустая страница портала (вход, меню)", "signed_in", "methodist", "text/html", 2000, 8),
    Page("pdf_floor", "WeasyPrint, одна строка", "floor", None, "application/pdf", 200, 10),
    Page("communities", "список сообществ", "html", "methodist", "text/html", 400, 12),
    Page("community", "страница сообщества", "html", "leader", "text/html", 400, 12),
    Page("protocol", "протокол (страница заседания)", "html", "leader", "text/html", 400, 12),
    # The meeting page of a draft, for its leader: where the protocol is written (meetings/views/editor.py).
    Page("draft", "черновик протокола (страница заседания, редактор)", "html", "leader", "text/html", 400, 12),
    Page("signed_pdf", "PDF подписанного протокола", "pdf", "leader", "application/pdf", 800, 10),
    Page("draft_pdf", "PDF черновика протокола", "pdf", "leader", "application/pdf", 100, 15),
    Page("dashboard", "сводка ИОЦ", "html", "methodist", "text/html", 40, 20),
    # Built once per data version (the warm-up request); its cold build time is in the query profile.
    Page("summary_pdf", "сводка района, PDF", "pdf", "methodist", "application/pdf", 200, 10),
]
HTML_PAGES = ["dashboard", "communities", "community", "protocol", "draft"]
#: The meeting pages, measured against the signed-in empty page (p50): at most this many times it.
MEETING_PAGES = ["protocol", "draft"]
MEETING_PAGE_LIMIT = 2


def use_quick_datasets() -> None:
    global WORK
    WORK = WORK / "quick"
    DATASETS[:] = [Dataset(d.key, d.title, f"{d.database}_quick", d.leader, d.methodist, d.password) for d in DATASETS]


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


# --- PostgreSQL and the data ------------------------------------------------------------------------------------


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def database_url(dataset: Dataset) -> str:
    return f"{server_url()}/{dataset.database}"


def admin_connection(database: str = "postgres"):
    connection = psycopg2.connect(f"{server_url()}/{database}")
    connection.autocommit = True
    return connection


def database_exists(name: str) -> bool:
    with admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def recreate_database(name: str) -> None:
    connection = admin_connection()
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def django_env(dataset: Dataset, *, production: bool = True) -> dict:
    """The environment of every Django process of the benchmark: the production profile (DEBUG off) over plain
    HTTP, persistent database connections, this dataset's database and media."""
    env = os.environ.copy()
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_ENV="production" if production else "development",
        DEBUG="0",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        DB_CONN_MAX_AGE="60",
        DATABASE_URL=database_url(dataset),
        MEDIA_ROOT=str(WORK / f"media-{dataset.key}"),
        STATIC_ROOT=str(WORK / "static"),
        PYTHONPATH=str(ROOT),
    )
    if REDIS_URL:  # the reports cache shared by the workers, as a district server would run it
        env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=f"bench-{SECRET[:8]}")
    return env


def run(command: list[str], env: dict, what: str) -> None:
    started = time.monotonic()
    say(f"{what} …")
    subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603 - our own interpreter and scripts
    say(f"{what}: {time.monotonic() - started:.0f} s")


def prepare(dataset: Dataset, scale: float, regenerate: bool) -> dict:
    """The dataset's database, generated unless a run of the same day left it ready."""
    marker_path = WORK / f"{dataset.key}.json"
    wanted = {"version": DATA_VERSION, "date": dt.date.today().isoformat(), "scale": scale}
    if dataset.key == "demo":
        wanted["scale"] = None
    marker = json.loads(marker_path.read_text(encoding="utf-8")) if marker_path.exists() else {}
    if not regenerate and database_exists(dataset.database) and all(marker.get(k) == v for k, v in wanted.items()):
        say(f"{dataset.title}: данные из прошлого запуска ({marker['seconds']:.0f} с на создание)")
        # The code may have gained migrations since (new tables stay empty, as after a deployment).
        migrate = [sys.executable, "manage.py", "migrate", "--noinput", "-v0"]
        run(migrate, django_env(dataset, production=False), f"{dataset.title}: migrate")
        return marker
    marker_path.unlink(missing_ok=True)
    recreate_database(dataset.database)
    shutil.rmtree(WORK / f"media-{dataset.key}", ignore_errors=True)
    env = django_env(dataset, production=False)
    manage = [sys.executable, "manage.py"]
    started = time.monotonic()
    run([*manage, "migrate", "--noinput", "-v0"], env, f"{dataset.title}: migrate")
    if dataset.key == "region":
        run([sys.executable, "-m", "bench.region", "--scale", str(scale)], env, f"{dataset.title}: данные")
    else:
        run([*manage, "seed_demo"], {**env, "DEBUG": "1"}, f"{dataset.title}: seed_demo")
    marker = {**wanted, "seconds": round(time.monotonic() - started, 1)}
    marker_path.write_text(json.dumps(marker, ensure_ascii=False), encoding="utf-8")
    return marker


COUNTED_TABLES = [
    ("организации", "communities_organization"),
    ("педагоги", "communities_teacher"),
    ("ПОС", "communities_community"),
    ("членство", "communities_membership"),
    ("планы", "communities_annualplan"),
    ("заседания", "meetings_meeting"),
    ("присутствие", "meetings_attendance"),
    ("вопросы", "meetings_agendaitem"),
    ("решения", "meetings_decision"),
    ("поручения", "meetings_assignment"),
    ("протоколы", "meetings_protocol"),
    ("PDF в хранилище", "reports_protocoldocument"),
]


def row_counts(dataset: Dataset) -> dict[str, int]:
    with admin_connection(dataset.database) as connection, connection.cursor() as cursor:
        counts = {}
        for title, table in COUNTED_TABLES:
            cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            counts[title] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM meetings_protocol WHERE signed_at IS NOT NULL")
        counts["подписанные протоколы"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        counts["размер базы"] = cursor.fetchone()[0]
        return counts


def targets(dataset: Dataset) -> dict:
    """The community of the dataset's leader, its latest signed protocol (with its stored PDF) and its latest
    draft: the pages measured."""
    with admin_connection(dataset.database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.community_id FROM communities_leaderappointment a "
            "JOIN communities_teacher t ON t.id = a.teacher_id JOIN auth_user u ON u.id = t.user_id "
            "WHERE u.username = %s AND a.ends_on IS NULL ORDER BY a.community_id LIMIT 1",
            [dataset.leader],
        )
        community = cursor.fetchone()[0]
        cursor.execute(
            "SELECT p.meeting_id, d.size FROM meetings_protocol p "
            "JOIN reports_protocoldocument d ON d.protocol_id = p.id WHERE p.community_id = %s "
            "ORDER BY p.academic_year DESC, p.number DESC LIMIT 1",
            [community],
        )
        signed, signed_size = cursor.fetchone()
        cursor.execute(
            "SELECT meeting_id FROM meetings_protocol WHERE community_id = %s AND signed_at IS NULL "
            "ORDER BY academic_year DESC, number DESC LIMIT 1",
            [community],
        )
        draft = cursor.fetchone()[0]
    return {"community": community, "signed": signed, "signed_size": signed_size, "draft": draft}


def static_file(size: int) -> tuple[str, int]:
    """The collected static file closest in size to ``size`` (the signed PDF), as its URL and size."""
    manifest_path = WORK / "static" / "staticfiles.json"
    names = json.loads(manifest_path.read_text())["paths"].values() if manifest_path.exists() else None
    if names is None:
        names = [str(p.relative_to(WORK / "static")) for p in (WORK / "static").rglob("*") if p.is_file()]
    candidates = [
        (abs((WORK / "static" / name).stat().st_size - size), name)
        for name in names
        if name.endswith((".css", ".js", ".ttf", ".svg", ".png", ".woff2")) and (WORK / "static" / name).exists()
    ]
    name = min(candidates)[1]
    return f"/static/{name}", (WORK / "static" / name).stat().st_size


def paths(target: dict, static_path: str) -> dict[str, str]:
    return {
        "ceiling": "/bench/ceiling/",
        "static": static_path,
        "pdf_floor": "/bench/pdf-floor.pdf",
        "signed_in": "/bench/signed-in/",
        "dashboard": "/reports/dashboard/",
        "communities": "/communities/",
        "community": f"/communities/{target['community']}/",
        "protocol": f"/meetings/{target['signed']}/",
        "draft": f"/meetings/{target['draft']}/",
        "signed_pdf": f"/meetings/{target['signed']}/protocol.pdf",
        "draft_pdf": f"/meetings/{target['draft']}/protocol.pdf",
        "summary_pdf": "/reports/summary.pdf",
    }


# --- the server and the load --------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 sync workers on 127.0.0.1, started and stopped by the benchmark."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.port = free_port()
        self.log = WORK / f"gunicorn-{dataset.key}.log"
        self.process = None

    def __enter__(self) -> Client:
        # The project's gunicorn.conf.py (if any) is read as in production; these override it.
        settings = {
            "workers": "2",
            "bind": f"127.0.0.1:{self.port}",
            "timeout": "600",  # the district summary of a whole region takes long; the load waits for it
            "max-requests": "0",  # no worker restarts in the middle of a measurement
            "log-level": "warning",
        }
        command = [str(BIN / "gunicorn"), *(f"--{name}={value}" for name, value in settings.items())]
        env = django_env(self.dataset)
        env.update({f"GUNICORN_{name.upper().replace('-', '_')}": value for name, value in settings.items()})
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn
                [*command, "pos_portal.wsgi:application"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        client = Client("127.0.0.1", self.port)
        deadline = time.monotonic() + 60
        while True:
            try:
                if client.request("GET", "/bench/ceiling/")[0] == 200:
                    return client
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start; see {self.log}")
            time.sleep(0.3)

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def measure_all(urls: dict[str, dict[str, str]], concurrency: int, rounds: int, quick: bool) -> dict[str, dict]:
    """Both datasets' servers run side by side; every page is measured on the region and right after on the demo,
    ``rounds`` times, and the round with the lower p50 is kept: on a shared machine this keeps background load from
    landing on one dataset only."""
    results: dict[str, dict[str, Result]] = {dataset.key: {} for dataset in DATASETS}
    with Gunicorn(DATASETS[0]) as region_client, Gunicorn(DATASETS[1]) as demo_client:
        clients = {"region": region_client, "demo": demo_client}
        cookies = {
            dataset.key: {
                "leader": clients[dataset.key].login(dataset.leader, dataset.password),
                "methodist": clients[dataset.key].login(dataset.methodist, dataset.password),
            }
            for dataset in DATASETS
        }
        for page in PAGES:
            parallel = page.concurrency or concurrency
            requests = max(parallel, page.requests // (10 if quick else 1))
            for _round in range(1 if page.key == "summary_pdf" else rounds):
                for dataset in DATASETS:
                    result = measure(
                        clients[dataset.key],
                        urls[dataset.key][page.key],
                        cookies=cookies[dataset.key].get(page.user) if page.user else None,
                        requests=requests,
                        seconds=page.seconds / (4 if quick else 1),
                        concurrency=parallel,
                        content_type=page.content_type,
                        warmup=2 if page.warmup else 0,
                    )
                    errors = f", ошибок {result.errors}: {result.first_error}" if result.errors else ""
                    say(
                        f"{dataset.title:7} {page.title:32} {result.rps:8.1f} rps  p50 {result.p50:8.1f} ms  "
                        f"p99 {result.p99:8.1f} ms  ({len(result.latencies)} запросов){errors}"
                    )
                    if result.errors:
                        raise RuntimeError(f"{page.title}: {result.first_error} ({urls[dataset.key][page.key]})")
                    best = results[dataset.key].get(page.key)
                    if best is None or result.p50 < best.p50:
                        results[dataset.key][page.key] = result
    return results


def profile_dataset(dataset: Dataset, urls: dict[str, str]) -> dict:
    users = {"leader": dataset.leader, "methodist": dataset.methodist}
    pages = [
        {"key": page.key, "path": urls[page.key], "username": users[page.user], "warmup": page.warmup}
        for page in PAGES
        if page.kind in ("html", "pdf")
    ]
    pages_file, out_file = WORK / f"profile-{dataset.key}-pages.json", WORK / f"profile-{dataset.key}.json"
    pages_file.write_text(json.dumps(pages), encoding="utf-8")
    command = [sys.executable, "-m", "bench.profile", str(pages_file), str(out_file)]
    env = django_env(dataset)
    env.pop("REDIS_URL", None)  # the in-process cache: the first request of every page finds it empty
    run(command, env, f"{dataset.title}: профиль запросов")
    return json.loads(out_file.read_text(encoding="utf-8"))


# --- the machine and the report -----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    def first(path: str, key: str) -> str:
        try:
            for line in Path(path).read_text().splitlines():
                if line.startswith(key):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip('"')
        except OSError:
            pass
        return "?"

    memory_kb = first("/proc/meminfo", "MemTotal").split()[0]
    with admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
        cursor.execute("SHOW shared_buffers")
        shared_buffers = cursor.fetchone()[0]

    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as package_version

        try:
            return package_version(package)
        except PackageNotFoundError:
            return "?"

    return {
        "процессор": first("/proc/cpuinfo", "model name"),
        "ядер (nproc)": str(len(os.sched_getaffinity(0))),
        "память": f"{int(memory_kb) / 1024 / 1024:.1f} ГБ" if memory_kb.isdigit() else "?",
        "ОС": first("/etc/os-release", "PRETTY_NAME"),
        "Python": platform.python_version(),
        "PostgreSQL": f"{postgres} (shared_buffers {shared_buffers}), на этой же машине",
        "Django / gunicorn / WeasyPrint": f"{version('Django')} / {version('gunicorn')} / {version('weasyprint')}",
    }


def ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def ratio(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        return "—"
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def evaluate(results: dict[str, dict[str, Result]]) -> tuple[list[list[str]], list[tuple[bool, str]]]:
    region, demo = results["region"], results.get("demo", {})
    ceiling_rps = region["ceiling"].rps
    rows = []
    for page in PAGES:
        r, d = region[page.key], demo.get(page.key)
        vs_demo = r.p50 / d.p50 if d else float("nan")
        vs_ceiling = r.rps / ceiling_rps if page.kind in ("html", "pdf", "signed_in") else float("nan")
        floor = ""
        if page.key == "signed_pdf":
            floor = f"{ratio(r.p50 / region['static'].p50)} × статика"
        elif page.kind == "pdf":
            floor = f"{ratio(r.p50 / region['pdf_floor'].p50)} × WeasyPrint"
        rows.append(
            [
                page.title,
                f"{r.rps:.1f}",
                ms(r.p50),
                ms(r.p99),
                f"{d.rps:.1f}" if d else "—",
                ms(d.p50) if d else "—",
                ms(d.p99) if d else "—",
                ratio(vs_demo),
                ratio(vs_ceiling),
                floor,
            ]
        )
    checks = []
    for key in HTML_PAGES:
        if demo and key in region:
            value = region[key].p50 / demo[key].p50
            title = next(page.title for page in PAGES if page.key == key)
            checks.append((value <= 1.5, f"{title}: регион / демо по p50 = {value:.2f} (цель ≤ 1,5)"))
    for key in ("dashboard", "communities"):
        if key not in region:
            continue
        value = region[key].rps / ceiling_rps
        title = next(page.title for page in PAGES if page.key == key)
        checks.append(
            (
                value >= 1 / 3,
                f"{title}: {region[key].rps:.1f} rps = {value:.3f} потолка ({ceiling_rps:.0f} rps; цель ≥ 0,333)",
            )
        )
    for key in MEETING_PAGES:
        for name, data in (("регион", region), ("демо", demo)):
            if data and key in data and "signed_in" in data:
                value = data[key].p50 / data["signed_in"].p50
                title = next(page.title for page in PAGES if page.key == key)
                checks.append(
                    (
                        value <= MEETING_PAGE_LIMIT,
                        f"{title} ({name}): p50 {ms(data[key].p50)} мс = {value:.1f} × пустая страница портала "
                        f"({ms(data['signed_in'].p50)} мс; цель ≤ {MEETING_PAGE_LIMIT})",
                    )
                )
    for name, data in (("регион", region), ("демо", demo)):
        if data and "signed_pdf" in data:
            value = data["signed_pdf"].p50 / data["static"].p50
            checks.append(
                (
                    value <= 2,
                    f"PDF подписанного протокола ({name}): p50 {ms(data['signed_pdf'].p50)} мс = {value:.1f} × "
                    f"статический файл ({ms(data['static'].p50)} мс; цель ≤ 2)",
                )
            )
        if data and "draft_pdf" in data:
            value = data["draft_pdf"].p50 / data["pdf_floor"].p50
            checks.append(
                (
                    value <= 10,
                    f"PDF черновика ({name}): p50 {ms(data['draft_pdf'].p50)} мс = {value:.1f} × WeasyPrint с одной "
                    f"строкой ({ms(data['pdf_floor'].p50)} мс; цель ≤ 10)",
                )
            )
    return rows, checks


HEADER = [
    "страница",
    "регион rps",
    "p50, мс",
    "p99, мс",
    "демо rps",
    "p50, мс",
    "p99, мс",
    "регион / демо (p50)",
    "к потолку (rps)",
    "к полу (p50)",
]


def text_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [HEADER, *rows]) for i in range(len(HEADER))]
    lines = []
    for number, row in enumerate([HEADER, *rows]):
        cells = zip(row, widths, strict=True)
        lines.append("  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in enumerate(cells)))
        if number == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def markdown_table(header: list[str], rows: list[list[str]]) -> str:
    alignment = "|" + "|".join(" --- " if i == 0 else " ---: " for i in range(len(header))) + "|"
    lines = ["| " + " | ".join(header) + " |", alignment]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def report(context: dict) -> str:
    rows, checks = context["rows"], context["checks"]
    out = [
        BEGIN,
        f"_Создано `make bench` {context['when']}; всё между метками `bench:begin` и `bench:end` пишет "
        "`bench/run.py`._",
        "",
        "### Машина",
        "",
        *[f"- **{key}**: {value}" for key, value in context["machine"].items()],
        "",
        "### Как мерили",
        "",
        f"- Сервер: gunicorn {context['workers']} sync-воркера на 127.0.0.1, профиль production (`DEBUG` выключен, "
        "WhiteNoise для статики), постоянные соединения с БД (`DB_CONN_MAX_AGE=60`); PostgreSQL на той же машине.",
        f"- Нагрузка с той же машины (bench/load.py): {context['concurrency']} параллельных клиента (сводка района в "
        "PDF — 2: документ региона строится минуты), каждый запрос — новое соединение; на страницу фиксированное "
        "число запросов и предел времени (что раньше), перед замером 2 прогревочных запроса. p50/p99 — задержка "
        "у клиента, включая ожидание свободного воркера.",
        f"- Серверы обоих наборов данных работают одновременно; каждая страница замеряется на регионе и сразу за ним "
        f"на демо, {context['rounds']} раунда, в таблице — раунд с меньшей p50 (машина общая: так фоновая нагрузка "
        "не достаётся одному набору). Тяжёлые страницы (сводка, сводка PDF) — последними.",
        "- Средняя загрузка машины (load average за 1/5/15 мин) перед замерами: "
        + " / ".join(f"{value:.2f}" for value in context["load"][0])
        + ", после: "
        + " / ".join(f"{value:.2f}" for value in context["load"][1])
        + f" (ядер: {context['machine']['ядер (nproc)']}; сам замер даёт 2–3: два воркера, клиент и PostgreSQL).",
        "- Сводка, список сообществ, сводка PDF — от имени методиста ИОЦ (видит все ПОС района); страница "
        "сообщества, протокол и PDF протоколов — от имени руководителя ПОС.",
        "- Потолок — страница Django из одного шаблона без обращения к БД (`bench/urls.py`, только для бенчмарка); "
        f"статический файл — `{context['static_path']}` ({context['static_size']} байт, близок по размеру к PDF "
        f"подписанного протокола, {context['signed_size']} байт); пол PDF — WeasyPrint, документ в одну строку; "
        "пустая страница портала — макет портала (меню с именем) для вошедшего методиста без содержимого: сессия, "
        "пользователь и роли из хранилищ, базовые шаблоны — пол любой страницы портала.",
        f"- Кэш отчётов и сессии: {context['cache']}.",
        "",
        "### Данные",
        "",
        markdown_table(
            ["", *[ds.title for ds in context["datasets"]]],
            [
                [name, *[str(context["counts"][ds.key].get(name, "—")) for ds in context["datasets"]]]
                for name in context["counts"]["region"]
            ]
            + [["создание, с", *[f"{context['markers'][ds.key]['seconds']:.0f}" for ds in context["datasets"]]]],
        ),
        "",
        "### Результаты",
        "",
        markdown_table(HEADER, rows),
        "",
        "### Цели",
        "",
        *[f"- {'✅' if ok else '❌'} {text}" for ok, text in checks],
        "",
        "### Профиль запросов к БД (один запрос страницы, в процессе)",
        "",
        "«Первый» — запрос при пустом кэше отчётов (так ждёт первый методист после изменения данных), остальные "
        "столбцы — следующий запрос той же страницы. Кэш здесь — в памяти процесса, сессии — в БД (запросом больше, "
        "чем у серверов бенчмарка с Redis).",
        "",
        markdown_table(
            [
                "страница",
                "регион: запросов",
                "SQL, мс",
                "всего, мс",
                "первый: запросов / мс",
                "демо: запросов",
                "SQL, мс",
                "всего, мс",
                "первый: запросов / мс",
            ],
            [
                [
                    page.title,
                    *[
                        value
                        for ds in ("region", "demo")
                        for value in (
                            str(context["profile"][ds][page.key]["queries"]),
                            ms(context["profile"][ds][page.key]["sql_ms"]),
                            ms(context["profile"][ds][page.key]["wall_ms"]),
                            f"{context['profile'][ds][page.key]['cold_queries']} / "
                            f"{ms(context['profile'][ds][page.key]['cold_ms'])}",
                        )
                    ],
                ]
                for page in PAGES
                if page.key in context["profile"]["region"] and page.key in context["profile"].get("demo", {})
            ],
        ),
        "",
        "<details><summary>Самый долгий SQL-запрос каждой страницы на данных региона и его план</summary>",
        "",
    ]
    for page in PAGES:
        entry = context["profile"]["region"].get(page.key)
        if not entry or "slowest_sql" not in entry:
            continue
        out += [
            f"**{page.title}** — {entry['slowest_ms']} мс:",
            "",
            "```sql",
            entry["slowest_sql"],
            "```",
        ]
        if entry.get("plan"):
            out += ["```", *entry["plan"][:25], "```"]
        out.append("")
    out += ["</details>", END]
    return "\n".join(out)


def write_report(block: str) -> None:
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    text = REPORT.read_text(encoding="utf-8") if REPORT.exists() else "# Бенчмарк: портал на данных региона\n\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    REPORT.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full region (default 1.0)")
    parser.add_argument("--concurrency", type=int, default=4, help="parallel clients, 4–8 (default 4)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds per page; the best is kept (default 2)")
    parser.add_argument("--regenerate", action="store_true", help="regenerate the data even if a run of today left it")
    parser.add_argument("--quick", action="store_true", help="a tenth of the region and of the requests: a smoke run")
    parser.add_argument("--no-report", action="store_true", help="print the table, leave docs/benchmarks.md alone")
    parser.add_argument(
        "--pages",
        help="only these pages, comma-separated (with the ceiling and the floors; implies --no-report): "
        + ", ".join(page.key for page in PAGES if page.kind in ("html", "pdf")),
    )
    args = parser.parse_args(argv)
    if args.pages:
        selected = set(args.pages.split(","))
        unknown = selected - {page.key for page in PAGES}
        if unknown:
            parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
        references = ("ceiling", "static", "floor", "signed_in")
        PAGES[:] = [page for page in PAGES if page.kind in references or page.key in selected]
        HTML_PAGES[:] = [key for key in HTML_PAGES if key in selected]
        args.no_report = True
    if not 4 <= args.concurrency <= 8:
        parser.error("--concurrency must be 4 to 8")
    if not 1 <= args.rounds <= 5:
        parser.error("--rounds must be 1 to 5")
    scale = min(args.scale, 0.1) if args.quick else args.scale
    if args.quick:  # its own databases and files: a smoke run never replaces the full data
        use_quick_datasets()
    WORK.mkdir(parents=True, exist_ok=True)
    (ROOT / "bench" / ".work").mkdir(exist_ok=True)
    (ROOT / "bench" / ".work" / ".gitignore").write_text("*\n")
    if not (BIN / "gunicorn").exists():
        parser.error(f"gunicorn is not installed in {BIN} (pip install -r requirements.txt)")
    try:
        admin_connection().close()
    except psycopg2.OperationalError as error:
        parser.error(f"PostgreSQL is not reachable at {server_url()} (BENCH_DATABASE_URL): {error}")

    markers = {dataset.key: prepare(dataset, scale, args.regenerate) for dataset in DATASETS}
    run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
        django_env(DATASETS[0]),
        "collectstatic",
    )
    region_target = targets(DATASETS[0])
    static_path, static_size = static_file(region_target["signed_size"])
    urls = {
        dataset.key: paths(region_target if dataset.key == "region" else targets(dataset), static_path)
        for dataset in DATASETS
    }
    load_before = os.getloadavg()
    results = measure_all(urls, args.concurrency, args.rounds, args.quick)
    load_after = os.getloadavg()
    profiles = {dataset.key: profile_dataset(dataset, urls[dataset.key]) for dataset in DATASETS}
    counts = {dataset.key: row_counts(dataset) for dataset in DATASETS}
    rows, checks = evaluate(results)
    print()
    print(text_table(rows))
    print()
    for ok, text in checks:
        print(f"{'OK  ' if ok else 'FAIL'} {text}")
    if args.quick or args.no_report:
        say("docs/benchmarks.md не изменён (--quick / --no-report)")
        return 0
    context = {
        "when": dt.datetime.now().strftime("%d.%m.%Y %H:%M"),
        "machine": machine(),
        "workers": 2,
        "concurrency": args.concurrency,
        "rounds": args.rounds,
        "load": (load_before, load_after),
        "cache": (
            "Redis на этой же машине (`REDIS_URL`): общий кэш воркеров, сессии `cached_db`"
            if REDIS_URL
            else "в памяти каждого воркера (Redis не найден), сессии в БД"
        ),
        "static_path": static_path,
        "static_size": static_size,
        "signed_size": region_target["signed_size"],
        "datasets": DATASETS,
        "counts": counts,
        "markers": markers,
        "rows": rows,
        "checks": checks,
        "profile": profiles,
    }
    write_report(report(context))
    say(f"записано: {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
