"""`manage.py backup`: one archive of the database, media and secret key; old ones pruned."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jarida.backups import offsite, retention
from jarida.backups.services import Site, create_backup


class Command(BaseCommand):
    help = "Back up the database (online, consistent), media and secret key into one archive."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            type=Path,
            help="where to write the archive (default: JARIDA_BACKUP_DIR)",
        )
        parser.add_argument(
            "--no-prune", action="store_true", help="keep every older backup this time"
        )

    def handle(self, *args, output_dir, no_prune, verbosity, **options):
        directory = output_dir or Path(settings.JARIDA_BACKUP_DIR)
        try:
            result = create_backup(Site.from_settings(), directory)
        except Exception as error:
            raise CommandError(f"backup failed, nothing was written: {error}") from error
        manifest = result.manifest
        size = result.path.stat().st_size
        if verbosity:
            self.stdout.write(
                f"{result.path} ({size / 1e6:.1f} MB, {result.seconds:.1f} s): "
                f"{manifest['database']['vendor']} database, "
                f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables, "
                f"{manifest['media']['files']} media files, secret key {manifest['secret_key']}"
            )
        bucket = None
        if settings.JARIDA_BACKUP_S3_URL:
            # An archive only on the machine it protects is lost with that machine's disk.
            try:
                bucket = offsite.Bucket.from_url(
                    settings.JARIDA_BACKUP_S3_URL, settings.JARIDA_BACKUP_S3_ENDPOINT
                )
                copied = offsite.upload(result.path, bucket)
            except offsite.OffsiteError as error:
                raise CommandError(
                    f"{result.path} written, but not copied off-site: {error}"
                ) from error
            if verbosity:
                self.stdout.write(f"copied to {copied}")
        if no_prune:
            return
        for path in retention.prune(directory, settings.JARIDA_BACKUP_RETENTION):
            if verbosity:
                self.stdout.write(f"pruned {path}")
        if bucket is not None:
            for key in offsite.prune(bucket, settings.JARIDA_BACKUP_RETENTION):
                if verbosity:
                    self.stdout.write(f"pruned s3://{bucket.name}/{key}")
