"""`manage.py totp_code <login>`: the current two-step code of a demo login.

Only for the demo's house administrators, whose authenticator key is the published
demo key: it shows nothing for any other account.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from podium.demo import demo_data as demo
from podium.tenancy import totp
from podium.tenancy.two_factor import two_factor_device, two_factor_secret

from .load_demo import demo_usernames


class Command(BaseCommand):
    help = "Print the current two-step verification code of a demo login."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = get_user_model().objects.filter(username=username).first()
        device = two_factor_device(user) if user is not None else None
        if (
            username not in demo_usernames()
            or device is None
            or two_factor_secret(device) != demo.TOTP_SECRET
        ):
            raise CommandError(
                f"{username} is not a demo login with the demo authenticator key."
            )
        now = time.time()
        left = totp.STEP_SECONDS - int(now) % totp.STEP_SECONDS
        code = totp.totp(totp.secret_bytes(demo.TOTP_SECRET), now)
        self.stdout.write(f"{code}  (valid for {left} more seconds)")
