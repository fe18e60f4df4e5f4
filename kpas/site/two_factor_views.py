"""The code step after the password, and setting up an authenticator app (GOV.UK pages)."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from kpas.site import two_factor_services as two_factor

WRONG_CODE = "The code is not correct: enter the 6-digit code your authenticator app shows now"
THROTTLED = "Too many wrong codes: wait a minute, then enter the code your app shows now"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code your authenticator app shows, for example 123456",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        code = two_factor.normalise_code(self.cleaned_data["code"])
        if not two_factor.CODE_PATTERN.match(code):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _refusal(outcome: str) -> str:
    return THROTTLED if outcome == two_factor.CodeCheck.THROTTLED else WRONG_CODE


def _with_next(name: str, request: HttpRequest) -> str:
    return reverse(name) + "?" + urlencode({"next": _next_url(request)})


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def code_step(request: HttpRequest) -> HttpResponse:
    """Ask for the code from the account's authenticator app (after the password)."""
    user = request.user
    if two_factor.is_verified(user):
        return HttpResponseRedirect(_next_url(request))
    if not two_factor.has_confirmed_device(user):  # type: ignore[arg-type]
        if two_factor.two_factor_required(user):
            return HttpResponseRedirect(_with_next("two-factor-set-up", request))
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.verify_code(request, user, form.cleaned_data["code"])  # type: ignore[arg-type]
        if outcome == two_factor.CodeCheck.ACCEPTED:
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _refusal(outcome))
    return render(
        request,
        "registration/two_factor_code.html",
        {"form": form, "next": _next_url(request)},
        status=200,
    )


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def set_up(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: a QR code (and the secret to type), then its first code.

    Only an account with no confirmed device may set one up here: a stolen password must not
    be enough to add an attacker's app to an account that already has one."""
    user = request.user
    if two_factor.has_confirmed_device(user):  # type: ignore[arg-type]
        return HttpResponseRedirect(_with_next("two-factor-code", request))
    device = two_factor.enrolment_device(user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.confirm_enrolment(request, user, form.cleaned_data["code"])  # type: ignore[arg-type]
        if outcome == two_factor.CodeCheck.ACCEPTED:
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _refusal(outcome))
    return render(
        request,
        "registration/two_factor_set_up.html",
        {
            "form": form,
            "next": _next_url(request),
            # Drawn by the qrcode package from our own data: no user input reaches the SVG.
            "qr_code": mark_safe(two_factor.qr_code_svg(device)),
            "secret": two_factor.secret_as_text(device),
            "required": two_factor.two_factor_required(user),
        },
    )
