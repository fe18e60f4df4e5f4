"""What happens at sign-in and when an account is disabled (connected in SiteConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from kpas.base.models import User
from kpas.site.middleware import start_session_clock
from kpas.site.session_services import end_sessions_of
from kpas.site.two_factor_services import remember_enrolment


@receiver(user_logged_in, dispatch_uid="kpas-site-session-start")
def _on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    start_session_clock(request)
    remember_enrolment(request, user)


@receiver(post_save, sender=User, dispatch_uid="kpas-site-end-sessions-when-disabled")
def _on_user_saved(sender: Any, instance: User, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and "is_active" not in update_fields:
        return
    if kwargs.get("created") or kwargs.get("raw"):
        return
    if not instance.is_active:
        end_sessions_of(instance)
