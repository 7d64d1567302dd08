"""Load scenario: a coach on the cohort dashboard, members on their dashboard, editing a line,
downloading a PDF, and the trivial /health as the server's own floor.

Run through ``python -m bench.load.run`` (which starts the server and prints the table).
"""

from __future__ import annotations

import os
import random
import re
from typing import Any

import gevent
from locust import HttpUser, between, events, task

PASSWORD = "carbon-load"
COHORT_ID = int(os.environ.get("LOAD_COHORT_ID", "1"))
# Think time between a client's requests, in seconds (bench.load.run --think MIN MAX).
THINK = (
    float(os.environ.get("LOAD_THINK_MIN", "0.2")),
    float(os.environ.get("LOAD_THINK_MAX", "0.5")),
)


# LOAD_TRACE=file.csv: every request's start time, name and milliseconds, to see when a slow
# one happened and what ran beside it (the summary table only has percentiles).
_TRACE = os.environ.get("LOAD_TRACE")
if _TRACE:
    _trace_file = open(_TRACE, "a", encoding="utf-8")  # noqa: SIM115 (open for the whole run)

    @events.request.add_listener
    def _trace(name: str, response_time: float, start_time: float = 0.0, **_: object) -> None:
        _trace_file.write(f"{start_time:.3f},{name},{response_time:.1f}\n")
        _trace_file.flush()


# LOAD_WARMUP seconds after the start, the figures so far are dropped: the clients sign in
# (argon2 on purpose costs CPU: twenty at once is a burst no reading of a page should include)
# and the server loads its library and computes each footprint once per worker.
_WARMUP = float(os.environ.get("LOAD_WARMUP", "0"))


@events.test_start.add_listener
def _schedule_reset(environment: Any, **_: object) -> None:
    if _WARMUP > 0 and environment.runner is not None:
        gevent.spawn_later(_WARMUP, environment.runner.stats.reset_all)


def _login(user: HttpUser, email: str) -> str:
    page = user.client.get("/login", name="/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    user.client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)},
        name="/login",
    )
    home = user.client.get("/companies", name="/companies")
    meta = re.search(r'name="csrf-token" content="([^"]+)"', home.text)
    assert meta
    return meta.group(1)


class Coach(HttpUser):
    weight = 1
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.csrf = _login(self, "coach@load.example")

    @task
    def cohort_dashboard(self) -> None:
        self.client.get(f"/cohorts/{COHORT_ID}", name="cohort dashboard")

    @task
    def health(self) -> None:
        self.client.get("/health", name="trivial /health")


class Member(HttpUser):
    weight = 3
    wait_time = between(*THINK)

    def on_start(self) -> None:
        n = random.randrange(20)
        self.csrf = _login(self, f"member{n}@load.example")
        company = self.client.get("/companies", name="/companies")
        cid = re.search(r'href="/companies/(\d+)"', company.text)
        assert cid
        page = self.client.get(f"/companies/{cid.group(1)}", name="company page")
        periods = re.findall(r'href="/periods/(\d+)"', page.text)
        self.periods = periods
        self.draft = periods[0]  # newest first: the draft year
        lines = self.client.get(f"/api/periods/{self.draft}/lines", name="api lines").json()
        self.lines = lines

    @task(4)
    def company_dashboard(self) -> None:
        self.client.get(f"/periods/{random.choice(self.periods)}/results", name="company dashboard")

    @task(2)
    def edit_line(self) -> None:
        line = random.choice(self.lines)
        fresh = self.client.get(f"/api/lines/{line['id']}", name="api line").json()
        body = {k: fresh[k] for k in ("quantity", "unit", "data_quality", "version_id")}
        body["quantity"] = round(float(body["quantity"]) * 1.01, 1)
        for key in ("activity_id", "poste", "factor_id", "site_id"):
            if fresh.get(key) is not None:
                body[key] = fresh[key]
        with self.client.put(
            f"/api/lines/{line['id']}", json=body, headers={"X-CSRF-Token": self.csrf},
            name="line edit", catch_response=True,
        ) as r:  # fmt: skip
            # Two members of the same company may race: a 409 is the designed answer.
            if r.status_code in (200, 409):
                r.success()

    @task(1)
    def pdf(self) -> None:
        self.client.get(f"/periods/{random.choice(self.periods)}/report.pdf", name="PDF download")

    @task(2)
    def health(self) -> None:
        self.client.get("/health", name="trivial /health")
