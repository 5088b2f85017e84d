"""Create the first back-office login for a fresh site (used by `make run`)."""

import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create a superuser from DJANGO_SUPERUSER_USERNAME/PASSWORD (default admin/admin) "
        "when the site has none; never touches an existing one."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write("A superuser already exists; nothing to do.")
            return
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "admin")
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", "")
        User.objects.create_superuser(username=username, email=email, password=password)
        self.stdout.write(
            self.style.WARNING(
                f"Created superuser {username!r} (password from DJANGO_SUPERUSER_PASSWORD, "
                "default 'admin'): change it before exposing this site."
            )
        )
