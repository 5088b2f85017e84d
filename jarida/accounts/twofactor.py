"""Two-factor authentication for the back office: who must use it, enrolment, checking a code.

django-otp keeps the devices (an authenticator app's TOTP secret, a list of printed backup
codes) and marks a session verified; this module holds Jarida's rules around it:

* editors, site managers and superusers must enrol when JARIDA_2FA_REQUIRED is on
  (production, JARIDA_HTTPS); anyone on the staff may enrol, and once enrolled is always
  asked for a code after the password;
* guessing codes counts against the same django-axes lockout as guessing passwords, under a
  key of its own (`<username>#2fa`) so that a correct password, which resets the password
  count, does not also wipe the code failures.
"""

from base64 import b32encode

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jarida.accounts.roles import ADMINISTRATOR

BACKUP_CODE_COUNT = 10
TOTP_NAME = "تطبيق المصادقة"
BACKUP_NAME = "رموز احتياطية"


def role_names(user) -> frozenset[str]:
    """The user's roles (group names), read once a request (kept on the user object)."""
    if not hasattr(user, "_jarida_roles"):
        user._jarida_roles = frozenset(user.groups.values_list("name", flat=True))
    return user._jarida_roles


def in_roles(user, roles) -> bool:
    """Whether the user holds any of these roles (superusers count as site managers)."""
    if user.is_superuser and ADMINISTRATOR in roles:
        return True
    return not role_names(user).isdisjoint(roles)


def two_factor_required(user) -> bool:
    """Whether this account may not reach the back office without a second factor."""
    return bool(
        settings.JARIDA_2FA_REQUIRED
        and user.is_authenticated
        and user.is_staff
        and in_roles(user, settings.JARIDA_2FA_ROLES)
    )


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The authenticator secret being enrolled (kept until confirmed, so a reload shows it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def manual_key(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it typed: base32 in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code(device: TOTPDevice) -> str:
    """The otpauth:// address as a QR code, an SVG data: URI (no script, no inline style)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)


def new_backup_codes(user) -> list[str]:
    """Replace the user's backup codes with fresh ones; return them (shown once)."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def confirm_enrolment(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code; return new backup codes, or None."""
    with transaction.atomic():
        if not device.verify_token(normalise_code(code)):
            return None
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return new_backup_codes(device.user)


def normalise_code(code: str) -> str:
    """Codes as people type them: spaces and dashes dropped, Arabic-Indic digits read."""
    digits = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
    return "".join(code.split()).replace("-", "").translate(digits).lower()[:32]


def _credentials(user) -> dict:
    return {settings.AXES_USERNAME_FORM_FIELD: f"{user.get_username()}#2fa"}


def code_guessing_locked(request, user) -> bool:
    """Whether too many wrong codes (or passwords from this address) lock this login."""
    return AxesProxyHandler.is_locked(request, _credentials(user))


def check_code(request, user, code: str):
    """The confirmed device that accepts this code, or None (a failure axes counts)."""
    code = normalise_code(code)
    device = None
    if code:
        with transaction.atomic():
            for candidate in devices_for_user(user, confirmed=True, for_verify=True):
                if candidate.verify_token(code):
                    device = candidate
                    break
    if device is None:
        user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    else:
        axes_reset(username=_credentials(user)[settings.AXES_USERNAME_FORM_FIELD])
    return device
