"""How long a back-office login lasts: a lifetime per role, counted from the password."""

import time
from datetime import timedelta

from django.conf import settings

from jarida.accounts.twofactor import in_roles

LOGIN_AT_KEY = "jarida_login_at"


def login_lifetime(user) -> timedelta:
    """The shortest lifetime among the user's roles (JARIDA_SESSION_HOURS), else the staff one."""
    hours = [h for role, h in settings.JARIDA_SESSION_HOURS.items() if in_roles(user, [role])]
    return timedelta(hours=min(hours, default=settings.JARIDA_SESSION_HOURS_STAFF))


def start_login(sender, request, user, **kwargs) -> None:
    """On every login (user_logged_in): stamp the time and let the session expire with it."""
    if request is None or not hasattr(request, "session"):
        return
    request.session[LOGIN_AT_KEY] = time.time()
    request.session.set_expiry(int(login_lifetime(user).total_seconds()))


def login_expired(request, user) -> bool:
    """Whether this session's login is older than the user's lifetime (or was never stamped)."""
    started = request.session.get(LOGIN_AT_KEY)
    if not isinstance(started, int | float):
        return True
    return time.time() - started > login_lifetime(user).total_seconds()
