"""Readers' queries on a PostgreSQL read replica (DATABASE_REPLICA_URL), the rest on the primary.

Only an anonymous reader's GET or HEAD reads from the replica: those pages tolerate the
replica's lag of a second or so (the page cache already serves them minutes old). Staff,
anything with a session, every POST and every write stays on the primary, so an editor
always sees what they have just saved and no write waits on a replica. Without
DATABASE_REPLICA_URL neither the router nor the middleware is installed.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reader_request: ContextVar[bool] = ContextVar("jarida_reader_request", default=False)


@contextmanager
def reads_from_replica():
    token = _reader_request.set(True)
    try:
        yield
    finally:
        _reader_request.reset(token)


def is_reader_request(request) -> bool:
    return request.method in ("GET", "HEAD") and (
        settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_reader_request(request):
            return self.get_response(request)
        with reads_from_replica():
            return self.get_response(request)


class ReplicaRouter:
    """Reads of a reader request go to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reader_request.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the same rows as the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary's schema through replication.
        return db == "default"
