"""An email backend for the killed-worker test: notes each attempt, waits until the test
releases it (so the worker can be killed mid-send), then "sends" by appending to a file.

Files live in the folder named by KPAS_TEST_FLAGS: `email-attempts`, `release`, `sent`.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        flags = Path(os.environ["KPAS_TEST_FLAGS"])
        with (flags / "email-attempts").open("a") as attempts:
            attempts.write("attempt\n")
        deadline = time.monotonic() + 120
        while not (flags / "release").exists():
            if time.monotonic() > deadline:
                raise TimeoutError("never released")
            time.sleep(0.05)
        with (flags / "sent").open("a") as sent:
            for message in email_messages:
                sent.write(f"{message.extra_headers['Message-ID']} {message.subject}\n")
        return len(email_messages)
