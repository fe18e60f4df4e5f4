"""Print a demo account's current two-factor code (README "Demo sign-ins")."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kpas.base.demo_accounts import DEMO_EMAIL_DOMAIN, DEMO_TOTP_SECRET
from kpas.base.models import User
from kpas.site import two_factor_services


class Command(BaseCommand):
    help = (
        "Print the 6-digit code a demo account's authenticator app shows now. Demo accounts "
        "only: their key is published in the README."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help=f"a demo account, like ao{DEMO_EMAIL_DOMAIN}")

    def handle(self, *args: object, **options: object) -> None:
        email = str(options["email"]).strip().lower()
        if not email.endswith(DEMO_EMAIL_DOMAIN):
            raise CommandError(f"{email} is not a demo account (…{DEMO_EMAIL_DOMAIN})")
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"No account {email}: run ./scripts/run or manage.py seed_demo")
        device = two_factor_services.confirmed_device(user)
        if device is None:  # a demo loaded before two-factor sign-in existed
            device = two_factor_services.give_fixed_device(user, DEMO_TOTP_SECRET)
        self.stdout.write(two_factor_services.current_code(device))
