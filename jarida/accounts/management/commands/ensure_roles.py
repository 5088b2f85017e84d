"""`manage.py ensure_roles`: create or update the newsroom's role groups."""

from django.core.management.base import BaseCommand

from jarida.accounts.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or update the newsroom role groups and their permissions (idempotent)."

    def handle(self, *args, **options):
        names = ensure_roles()
        self.stdout.write(self.style.SUCCESS(f"Roles up to date: {', '.join(names)}"))
