"""Signals other apps connect to; the comments app sends them from its services.

`comment_visibility_changed` (sender: `Comment`; arguments `comment`, `article`) is sent
after the transaction commits whenever a comment starts or stops being shown to readers:
published on arrival, approved, rejected or marked spam after being shown, or deleted.
It is the hook for purging a cached article page (its comment list and count).
"""

from django.dispatch import Signal

comment_visibility_changed = Signal()
