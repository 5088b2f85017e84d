"""Choosing the search backend: `JARIDA_SEARCH_BACKEND`, else the one for the database."""

from functools import cache

from django.conf import settings
from django.db import connection
from django.utils.module_loading import import_string

from jarida.search.backends.base import SearchBackend

BY_DATABASE = {
    "sqlite": "jarida.search.backends.sqlite_fts5.SQLiteFTS5Backend",
    "postgresql": "jarida.search.backends.postgres.PostgresBackend",
}


@cache
def get_backend() -> SearchBackend:
    path = settings.JARIDA_SEARCH_BACKEND or BY_DATABASE[connection.vendor]
    return import_string(path)()
