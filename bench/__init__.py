"""``make bench``: region-scale data in PostgreSQL, gunicorn, a bounded load, one table (see bench/run.py)."""
