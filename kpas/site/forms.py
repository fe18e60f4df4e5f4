"""Sign-in form: email and password, GOV.UK error texts."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

INVALID_SIGN_IN = "Enter a correct email address and password"
INACTIVE_ACCOUNT = "This account has been deactivated: ask your service administrator"


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
    error_messages = {"invalid_login": INVALID_SIGN_IN, "inactive": INACTIVE_ACCOUNT}

    def clean_username(self) -> str:
        return self.cleaned_data["username"].strip().lower()
