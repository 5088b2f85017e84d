"""Rate limits on comment posts, per IP and per e-mail, counted in the shared cache.

django-ratelimit keeps the counters; the rates are settings (`COMMENTS_RATE_PER_IP`,
`COMMENTS_RATE_PER_EMAIL`, in its `count/period` syntax such as `5/10m`). IPv6 readers are
counted per /64, since one household or phone gets a whole /64.
"""

import ipaddress

from django.conf import settings
from django_ratelimit.core import get_usage


def client_ip(request) -> str:
    """The reader's address: REMOTE_ADDR, or behind trusted proxies their X-Forwarded-For.

    With `JARIDA_PROXY_COUNT=N` proxies in front (nginx: 1; a CDN and nginx: 2), each one
    appends the address it saw, so the reader is the Nth entry from the right; anything
    further left was written by the client and is not trusted.
    """
    proxies = settings.JARIDA_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            try:
                return str(ipaddress.ip_address(forwarded[-proxies]))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _over(request, group: str, key, rate: str) -> bool:
    usage = get_usage(request, group=group, key=key, rate=rate, increment=True)
    return bool(usage and usage["should_limit"])


def over_limit(request, email: str = "") -> bool:
    """Count one post against the reader's IP and e-mail; True when either is over."""
    by_ip = _over(request, "comments:ip", "ip", settings.COMMENTS_RATE_PER_IP)
    by_email = bool(email) and _over(
        request,
        "comments:email",
        lambda group, request: email.lower(),
        settings.COMMENTS_RATE_PER_EMAIL,
    )
    return by_ip or by_email
