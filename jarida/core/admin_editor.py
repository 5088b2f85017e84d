"""The scripts every admin form with a RichTextField loads (`class Media: js = RICH_TEXT_JS`):
the editor, its CSP nonce, and Arabic for what the editor and Django's date widgets print in
English (core/static/core/admin-arabic.js)."""

from django.forms import Script
from django.utils.functional import lazy

from jarida.core.templatetags.arabic import arabic_time_zone

RICH_TEXT_JS = [
    # Ahead of the editor's start-up: gives Tiptap the CSP nonce for its <style>.
    Script("django_prose_editor/editor.js", type="module"),
    Script("core/prose-editor-csp.js", type="module"),
    # The zone's Arabic name, read when the page renders (the current time zone).
    Script("core/admin-arabic.js", defer=True, **{"data-time-zone": lazy(arabic_time_zone, str)()}),
]
