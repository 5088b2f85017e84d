"""The database schema against the code: which migrations are still to run."""

from django.db import connections
from django.db.migrations.executor import MigrationExecutor


def unapplied_migrations(alias: str = "default") -> list[str]:
    """`app.name` of every migration the code has and the database has not applied."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
