"""Optional error reporting: Sentry's SDK (or any server speaking its protocol, such as
GlitchTip) when SENTRY_DSN is set; nothing at all otherwise."""

from django.core.exceptions import ImproperlyConfigured


def start_error_reporting(dsn: str, environment: str) -> None:
    """Send unhandled exceptions to the DSN; readers' data (cookies, IPs, bodies) stays."""
    try:
        import sentry_sdk
        from sentry_sdk.integrations.django import DjangoIntegration
    except ImportError:
        raise ImproperlyConfigured(
            "SENTRY_DSN is set but sentry-sdk is not installed: pip install 'jarida[sentry]'"
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        traces_sample_rate=0.0,
    )
