"""Fill an empty, migrated PostgreSQL database with region-scale data (bench/regiondata.py).

    DATABASE_URL=postgres://…/pos_bench_region MEDIA_ROOT=… python -m bench.region [--scale 1.0]

``make bench`` runs it; on its own it is handy to look at the portal with a whole region in it (accounts
``bench_metodist`` and ``bench_leader``, password ``bench``).
"""

import argparse
import json
import os
import sys
import time

import django


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full region (1.0: 3,000 communities)")
    parser.add_argument("--json", help="write the row counts to this file")
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 2:
        parser.error("--scale must be in (0, 2]")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pos_portal.settings")
    django.setup()
    from bench.regiondata import generate  # models need django.setup() first

    started = time.monotonic()
    counts = generate(args.scale)
    seconds = time.monotonic() - started
    for name, number in counts.items():
        print(f"  {name}: {number}")
    print(f"Region data generated in {seconds:.0f} s.")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump({"counts": counts, "seconds": round(seconds, 1)}, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
