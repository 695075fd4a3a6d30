"""gunicorn settings of ПОС-портал: ``gunicorn -c gunicorn.conf.py`` (see README «Развёртывание»).

Every value may be overridden by the environment (GUNICORN_*), e.g. in the systemd unit.
"""

import multiprocessing
import os

wsgi_app = "pos_portal.wsgi:application"

# nginx in front talks to gunicorn on the loopback (or a unix socket: GUNICORN_BIND=unix:/run/pos/gunicorn.sock).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 2 + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Rendering a long protocol or the district summary as PDF takes a few seconds; leave room.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then: memory held by large PDF renderings goes back to the system.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100

# The addresses whose X-Forwarded-* headers gunicorn trusts: only the nginx in front.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to stdout/stderr: systemd's journal keeps them (journalctl -u pos-portal).
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# No query strings in the access log: search terms may contain personal data.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
