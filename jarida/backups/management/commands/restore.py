"""`manage.py restore ARCHIVE`: bring a site back from a backup, checked byte by byte."""

import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jarida.backups import offsite
from jarida.backups.archive import ArchiveError
from jarida.backups.services import RestoreRefused, Site, restore_backup, verify_backup
from jarida.core.schema import unapplied_migrations


class Command(BaseCommand):
    help = "Restore a backup archive into this site's (empty) database and data directory."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a backup archive's path, or its s3:// address")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="check every member against the manifest; change nothing",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a site that holds data (its files are moved aside, not deleted)",
        )

    def handle(self, *args, archive, verify_only, force, verbosity, **options):
        if archive.startswith("s3://"):
            with tempfile.TemporaryDirectory(prefix="jarida-restore-") as directory:
                try:
                    local = offsite.download(
                        archive, Path(directory), settings.JARIDA_BACKUP_S3_ENDPOINT
                    )
                except offsite.OffsiteError as error:
                    raise CommandError(str(error)) from error
                return self.handle(
                    archive=str(local), verify_only=verify_only, force=force,
                    verbosity=verbosity, **options,
                )  # fmt: skip
        archive = Path(archive)
        try:
            if verify_only:
                manifest = verify_backup(archive)
                self.stdout.write(
                    f"{archive}: OK, made {manifest['created_at']} by Jarida "
                    f"{manifest['versions']['jarida']}, {len(manifest['files'])} members verified"
                )
                return
            result = restore_backup(archive, Site.from_settings(), force=force)
        except (ArchiveError, RestoreRefused) as error:
            raise CommandError(str(error)) from error
        except Exception as error:
            raise CommandError(f"restore failed: {error}") from error
        manifest = result.manifest
        for note in result.notes:
            self.stdout.write(note)
        self.stdout.write(
            f"restored {archive} ({result.seconds:.1f} s): "
            f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables "
            f"and {manifest['media']['files']} media files, all matching the backup"
        )
        if plan := unapplied_migrations():
            self.stdout.write(
                f"{len(plan)} migrations of this version are not applied yet: "
                "run `manage.py migrate` before starting the site"
            )
