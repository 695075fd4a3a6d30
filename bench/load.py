"""A small, bounded load generator: a fixed number of GET requests (or a time limit, whichever comes first) from a
few threads, each request on a new connection (gunicorn's sync workers close it after every response), with the
session cookie of a signed-in user. Standard library only."""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Result:
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, of the successful requests
    size: int = 0  # bytes of the last body
    first_error: str = ""

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        """The nearest-rank 99th percentile, ms."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[max(0, -(-99 * len(ordered) // 100) - 1)] * 1000


class Client:
    def __init__(self, host: str, port: int, timeout: float = 300):
        self.host, self.port, self.timeout = host, port, timeout

    def request(self, method: str, path: str, *, cookies: dict | None = None, body: dict | None = None):
        """One request; returns (status, headers, body bytes)."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "pos-bench"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def login(self, username: str, password: str) -> dict:
        """Sign in through the login form; returns the cookies (session and CSRF)."""
        status, headers, body = self.request("GET", "/accounts/login/")
        if status != 200:
            raise RuntimeError(f"GET /accounts/login/: {status}")
        cookies = cookies_from(headers)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if token is None or "csrftoken" not in cookies:
            raise RuntimeError("No CSRF token on the login page.")
        status, headers, body = self.request(
            "POST",
            "/accounts/login/",
            cookies=cookies,
            body={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1).decode()},
        )
        cookies.update(cookies_from(headers))
        if status != 302 or "sessionid" not in cookies:
            raise RuntimeError(f"Login of {username} failed: {status}")
        return cookies


def cookies_from(headers) -> dict:
    cookies = {}
    for header in headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]
    return cookies


def measure(
    client: Client,
    path: str,
    *,
    cookies: dict | None,
    requests: int,
    seconds: float,
    concurrency: int,
    content_type: str,
    warmup: int = 0,
) -> Result:
    """GET ``path`` ``requests`` times (stopping after ``seconds``) from ``concurrency`` threads."""
    for _ in range(warmup):
        client.request("GET", path, cookies=cookies)
    result = Result()
    lock = threading.Lock()
    claimed = 0
    started = time.perf_counter()
    deadline = started + seconds

    def worker():
        nonlocal claimed
        while True:
            with lock:
                if claimed >= requests or time.perf_counter() >= deadline:
                    return
                claimed += 1
            begin = time.perf_counter()
            try:
                status, headers, body = client.request("GET", path, cookies=cookies)
                error = "" if status == 200 else f"HTTP {status}"
                if not error and not (headers.get("Content-Type") or "").startswith(content_type):
                    error = f"Content-Type {headers.get('Content-Type')}"
            except (OSError, http.client.HTTPException) as exc:
                error, body = f"{type(exc).__name__}: {exc}", b""
            elapsed = time.perf_counter() - begin
            with lock:
                result.requests += 1
                if error:
                    result.errors += 1
                    result.first_error = result.first_error or error
                else:
                    result.latencies.append(elapsed)
                    result.size = len(body)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result
