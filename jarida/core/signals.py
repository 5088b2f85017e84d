"""Signals that connect apps without importing them.

`content_changed` says "what readers see may have changed" for writes that bypass
model signals (bulk imports). Receivers: the reader page cache.
"""

from django.dispatch import Signal

content_changed = Signal()
