"""Ending an account's sessions: when it is disabled, nobody stays signed in as it."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone

from kpas.base.models import User


def end_sessions_of(user: User) -> int:
    """Delete every unexpired session signed in as `user`; how many were ended.

    Sessions are signed blobs keyed by a random key, so the account's are found by reading
    the live ones (a council's staff: a few thousand rows at most), in batches."""
    ended: list[str] = []
    live = Session.objects.filter(expire_date__gt=timezone.now()).only(
        "session_key", "session_data"
    )
    for session in live.iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            ended.append(session.session_key)
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
    return len(ended)
