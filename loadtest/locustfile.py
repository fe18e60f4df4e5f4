"""The morning peak (issue 15 item 7): every school's MIS sends its morning register while
school staff use the forms and dashboards. Bounded: run headless for a fixed time.

    .venv/bin/locust -f loadtest/locustfile.py --headless --host http://127.0.0.1:8010 \
        --users 60 --spawn-rate 10 --run-time 3m --csv var/loadtest/run

Reads var/loadtest/manifest.json (loadtest/seed.py). Two kinds of user:

- `MisImport` (LOAD_IMPORTERS users, default 10): between them they send one marks file per
  school of the manifest, each school once (this morning's AM marks for every pupil on roll,
  `POST /api/v1/imports/` with `confirm=true`, as an MIS integration does), at
  LOAD_IMPORTS_PER_MINUTE files a minute in all (default 20: 600 schools in a 30-minute
  peak; 0: as fast as the service answers). The files are small, so each is checked and
  applied in the request and its projection refresh queued for the worker.
- `SchoolStaff` (the other users, 50 by default): a headteacher who signs in and goes round
  the school's home, dashboard, pupil list, a pupil's record, the forms (the Digital Front
  Door's list and a pupil's forms) and the upload page, 1-5 s between pages.

Any answer other than 2xx (or the expected 302 of signing in) counts as a failure.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, constant_pacing, events, tag, task

MANIFEST = Path(__file__).resolve().parent.parent / "var" / "loadtest" / "manifest.json"
IMPORTERS = int(os.environ.get("LOAD_IMPORTERS", "10"))
# Files a minute from all the MIS together: 600 schools in a 30-minute peak is 20. 0 means
# as fast as the service answers (a stress run, not the morning).
IMPORTS_PER_MINUTE = float(os.environ.get("LOAD_IMPORTS_PER_MINUTE", "20"))

_manifest: dict[str, Any] = json.loads(MANIFEST.read_text()) if MANIFEST.exists() else {}
_schools: list[dict[str, Any]] = _manifest.get("schools", [])
_next_import = itertools.count()
_next_staff = itertools.count()
_lock = threading.Lock()


def _marks_file(school: dict[str, Any]) -> bytes:
    day = _manifest["today"]
    rows = ["urn,upn,date,session,mark"]
    for i, upn in enumerate(school["upns"]):
        mark = "/" if i % 12 else random.choice("INOLM")
        rows.append(f"{school['urn']},{upn},{day},AM,{mark}")
    return ("\n".join(rows) + "\n").encode()


class MisImport(HttpUser):
    """An MIS sending schools' morning registers, one school after another."""

    fixed_count = IMPORTERS
    wait_time = (
        constant_pacing(IMPORTERS * 60 / IMPORTS_PER_MINUTE) if IMPORTS_PER_MINUTE else constant(0)
    )

    @tag("imports")
    @task
    def send_register(self) -> None:
        with _lock:
            n = next(_next_import)
        if n >= len(_schools):
            self.stop()  # every school has sent its register this morning
            return
        school = _schools[n]
        with self.client.post(
            "/api/v1/imports/",
            data={"kind": "marks", "school": school["urn"], "confirm": "true"},
            files={"file": ("marks.csv", _marks_file(school), "text/csv")},
            headers={"Authorization": f"Token {school['token']}"},
            name="POST /api/v1/imports/ (marks, confirm)",
            catch_response=True,
        ) as response:
            status = response.json().get("status") if response.ok else None
            if status not in ("applied", "unchanged"):
                response.failure(f"{response.status_code} {status}: {response.text[:200]}")


class SchoolStaff(HttpUser):
    """A headteacher on the service's pages during the morning."""

    weight = 1
    wait_time = between(1, 5)

    def on_start(self) -> None:
        with _lock:
            self.school = _schools[next(_next_staff) % len(_schools)]
        self.client.get("/sign-in/", name="GET /sign-in/")
        token = self.client.cookies.get("csrftoken", "")
        with self.client.post(
            "/sign-in/",
            data={
                "username": self.school["email"],
                "password": _manifest["password"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{self.host}/sign-in/"},
            name="POST /sign-in/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")

    def _get(self, path: str, name: str) -> None:
        self.client.get(path, name=name)

    @task(3)
    def home(self) -> None:
        self._get("/", "GET / (school home)")

    @task(3)
    def dashboard(self) -> None:
        self._get(f"/schools/{self.school['urn']}/", "GET /schools/{urn}/ (dashboard)")

    @task(2)
    def pupils(self) -> None:
        self._get(f"/schools/{self.school['urn']}/pupils/", "GET /schools/{urn}/pupils/")

    @task(2)
    def pupil(self) -> None:
        upn = random.choice(self.school["upns"])
        self._get(
            f"/schools/{self.school['urn']}/pupils/{upn}/", "GET /schools/{urn}/pupils/{upn}/"
        )

    @task(1)
    def forms(self) -> None:
        self._get("/dfd/", "GET /dfd/ (forms)")
        upn = random.choice(self.school["upns"])
        self._get(f"/pupils/{upn}/forms/", "GET /pupils/{upn}/forms/")

    @task(1)
    def upload_page(self) -> None:
        self._get(
            f"/schools/{self.school['urn']}/imports/upload/",
            "GET /schools/{urn}/imports/upload/",
        )


@events.test_start.add_listener
def _check_manifest(environment: Any, **_: Any) -> None:
    if not _schools:
        raise SystemExit("No var/loadtest/manifest.json: run loadtest/seed.py first")
