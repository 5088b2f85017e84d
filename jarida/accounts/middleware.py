"""Back-office logins: they end when their role's lifetime is over, and they pass the second
factor before reaching the back office (jarida/accounts/twofactor.py)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from jarida.accounts import twofactor
from jarida.accounts.logins import login_expired


class StaffLoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Readers carry no session: their pages never load a user (nor touch the database).
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated:
            return self.get_response(request)
        guarded = self._guarded(request.path)
        if login_expired(request, user):
            logout(request)
            if guarded:
                return self._to("admin:login", request)
            return self.get_response(request)
        if guarded and not self._exempt(request.path) and not user.is_verified():
            if twofactor.has_two_factor(user):
                return self._to("accounts:two-factor-verify", request)
            if twofactor.two_factor_required(user):
                return self._to("accounts:two-factor-enrol", request)
        return self.get_response(request)

    @staticmethod
    def _guarded(path: str) -> bool:
        """Paths a staff login opens: the back office and the metrics page."""
        return path.startswith((reverse("admin:index"), reverse("metrics")))

    @staticmethod
    def _exempt(path: str) -> bool:
        """The second-factor pages themselves, and the way out."""
        return path.startswith(reverse("accounts:two-factor")) or path == reverse("admin:logout")

    @staticmethod
    def _to(name: str, request):
        next_url = request.get_full_path() if request.method == "GET" else reverse("admin:index")
        return redirect(f"{reverse(name)}?{urlencode({'next': next_url})}")
