"""Create the first back-office login for a fresh site (used by `make setup` and `make run`).

There is no default password: JARIDA_ADMIN_PASSWORD is used when set, otherwise a strong
one is generated and printed once (it is stored only as a hash).
"""

import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

#: 18 random bytes: 24 URL-safe characters, 144 bits.
GENERATED_BYTES = 18


class Command(BaseCommand):
    help = (
        "Create a superuser when the site has none (never touches an existing one): the name "
        "from JARIDA_ADMIN_USERNAME (default 'admin'), the password from JARIDA_ADMIN_PASSWORD "
        "or, when unset, a generated one printed once."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser already exists; nothing to do.")
            return
        username = os.environ.get("JARIDA_ADMIN_USERNAME", "admin")
        email = os.environ.get("JARIDA_ADMIN_EMAIL", "")
        password = os.environ.get("JARIDA_ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(GENERATED_BYTES)
        else:
            try:
                validate_password(password, User(username=username, email=email))
            except ValidationError as error:
                raise CommandError(
                    "JARIDA_ADMIN_PASSWORD is too weak: " + " ".join(error.messages)
                ) from None
        User.objects.create_superuser(username=username, email=email, password=password)
        if generated:
            self.stdout.write(
                self.style.WARNING(
                    f"Created superuser {username!r} with the password\n\n    {password}\n\n"
                    "It is shown only this once: keep it now (change it in the back office "
                    "or with `manage.py changepassword`)."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Created superuser {username!r} (JARIDA_ADMIN_PASSWORD).")
            )
