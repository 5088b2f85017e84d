"""The second-factor pages of the back office: enrol an authenticator, give a code."""

from axes.helpers import get_lockout_response
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from jarida.accounts import twofactor


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else reverse("admin:index")


def _page(request, template: str, **context):
    base = admin.site.each_context(request)
    # No back-office menu before the second factor: every link would come back here.
    base["has_permission"] = False
    return render(request, template, base | {"next": _next(request)} | context)


def _staff(view):
    """Logged-in staff only (the password step done); others go to the admin login."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_staff:
            return redirect(f"{reverse('admin:login')}?next={reverse('admin:index')}")
        return view(request, *args, **kwargs)

    return login_required(wrapped, login_url="admin:login")


@never_cache
@require_http_methods(["GET", "POST"])
@_staff
def enrol(request):
    """Show a new authenticator secret (QR code and typed key); confirm it with a first code."""
    user = request.user
    if twofactor.has_two_factor(user) and not user.is_verified():
        # Replacing a device takes the current one: a stolen password is not enough.
        return redirect(f"{reverse('accounts:two-factor-verify')}?next={request.path}")
    device = twofactor.pending_device(user)
    error = ""
    if request.method == "POST":
        codes = twofactor.confirm_enrolment(device, request.POST.get("code", ""))
        if codes:
            request.session.cycle_key()  # a new session id for the stronger login
            otp_login(request, device)
            return _page(request, "accounts/backup_codes.html", codes=codes)
        error = "الرمز غير صحيح أو انتهت صلاحيته. اكتب الرمز الظاهر الآن في التطبيق."
    return _page(
        request,
        "accounts/enrol.html",
        qr_code=twofactor.qr_code(device),
        manual_key=twofactor.manual_key(device),
        required=twofactor.two_factor_required(user),
        error=error,
        title="التحقق بخطوتين",
    )


@never_cache
@require_http_methods(["GET", "POST"])
@_staff
def verify(request):
    """Ask for the code after the password; wrong codes count towards the login lockout."""
    user = request.user
    if not twofactor.has_two_factor(user):
        return redirect(f"{reverse('accounts:two-factor-enrol')}?next={_next(request)}")
    if user.is_verified():
        return redirect(_next(request))
    if twofactor.code_guessing_locked(request, user):
        logout(request)
        return get_lockout_response(request, None)
    error = ""
    if request.method == "POST":
        device = twofactor.check_code(request, user, request.POST.get("code", ""))
        if device is not None:
            request.session.cycle_key()  # a new session id for the stronger login
            otp_login(request, device)
            return redirect(_next(request))
        if getattr(request, "axes_locked_out", False):
            logout(request)  # AxesMiddleware answers with the lockout page
        error = "الرمز غير صحيح. اكتب الرمز الظاهر الآن في التطبيق، أو أحد الرموز الاحتياطية."
    return _page(request, "accounts/verify.html", error=error, title="رمز التحقق")


@never_cache
@require_http_methods(["POST"])
@_staff
def new_backup_codes(request):
    """Replace the backup codes (a verified login only) and show the new ones once."""
    if not request.user.is_verified():
        return redirect(f"{reverse('accounts:two-factor-verify')}?next={reverse('admin:index')}")
    codes = twofactor.new_backup_codes(request.user)
    return _page(request, "accounts/backup_codes.html", codes=codes, title="رموز احتياطية")
