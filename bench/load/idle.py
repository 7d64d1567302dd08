"""One request at a time, with the server idle in between: ``python -m bench.load.idle [URL]``.

The load test's clients think 2-5 s between requests, so the server is mostly idle and every
request starts on a CPU that was asleep. This measures what that costs, apart from any
contention: each request below alone, back to back and then after an idle gap, against the
generated database (bench.load.generate), on one uvicorn worker. It prints each request's
median and p95 per gap and its ratio to /health's p95 at the same gap (the load test's bound
is five times that).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections.abc import Callable

import httpx

from bench.load.generate import PASSWORD
from bench.load.run import DEFAULT_URL, serve

COHORT_ID = 1


def signed_in(base: str, email: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=base, timeout=30)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no login form"
    client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token[1]})
    home = client.get("/companies")
    meta = re.search(r'name="csrf-token" content="([^"]+)"', home.text)
    assert meta, f"{email} could not sign in"
    return client, meta[1]


def timed(call: Callable[[], httpx.Response]) -> float:
    start = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{response.request.url}: {response.status_code}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?", default=DEFAULT_URL)
    parser.add_argument("--gaps", type=float, nargs="+", default=(0.0, 0.5, 2.0),
                        help="seconds the server stays idle before each request")  # fmt: skip
    parser.add_argument("--n", type=int, default=25, help="requests per row")
    args = parser.parse_args()
    with serve(args.url, workers=1, idle_s=max(args.gaps)) as base:
        coach, _ = signed_in(base, "coach@load.example")
        member, csrf = signed_in(base, "member0@load.example")
        company = re.search(r'href="/companies/(\d+)"', member.get("/companies").text)
        assert company, "member0 has no company"
        periods = re.findall(r'href="/periods/(\d+)"', member.get(f"/companies/{company[1]}").text)
        lines = member.get(f"/api/periods/{periods[0]}/lines").json()

        def edit_line() -> None:
            line = member.get(f"/api/lines/{random.choice(lines)['id']}").json()
            body = {k: line[k] for k in ("quantity", "unit", "data_quality", "version_id")}
            body["quantity"] = round(float(body["quantity"]) * 1.01, 1)
            body |= {k: line[k] for k in ("activity_id", "poste", "factor_id", "site_id")
                     if line.get(k) is not None}  # fmt: skip
            answer = member.put(f"/api/lines/{line['id']}", json=body,
                                headers={"X-CSRF-Token": csrf})  # fmt: skip
            answer.raise_for_status()

        requests: dict[str, tuple[Callable[[], httpx.Response], Callable[[], None] | None]] = {
            "trivial /health": (lambda: coach.get("/health"), None),
            "/companies (member)": (lambda: member.get("/companies"), None),
            "company dashboard": (lambda: member.get(f"/periods/{periods[0]}/results"), None),
            "cohort, unchanged": (lambda: coach.get(f"/cohorts/{COHORT_ID}"), None),
            "cohort, after an edit": (lambda: coach.get(f"/cohorts/{COHORT_ID}"), edit_line),
        }
        print(f"# one uvicorn worker, one request at a time, {args.n} per row, {args.url}")
        header = ("request", "idle s", "median ms", "p95 ms", "x /health p95")
        print("{:<24} {:>6} {:>10} {:>8} {:>14}".format(*header))
        for gap in args.gaps:
            floor = 0.0
            for name, (call, before) in requests.items():
                for _ in range(3):  # warm: the library loaded, the footprints cached
                    call()
                times = []
                for _ in range(args.n):
                    if before is not None:
                        before()
                    time.sleep(gap)
                    times.append(timed(call))
                p95 = statistics.quantiles(times, n=20)[-1]
                floor = floor or p95
                print(f"{name:<24} {gap:>6g} {statistics.median(times):>10.1f} {p95:>8.1f} "
                      f"{p95 / floor:>14.1f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
