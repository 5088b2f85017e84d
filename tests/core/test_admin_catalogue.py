"""Every string of Django's admin, auth and core catalogues reads in Arabic: from Django's
own Arabic catalogue or, for what it lacks in Django 6.1, from the project's."""

from pathlib import Path

import django
import pytest
from babel.messages.pofile import read_po
from django.utils import translation

DJANGO = Path(django.__file__).parent
CATALOGUES = ["contrib/admin", "contrib/auth", "contrib/contenttypes", "conf"]
# Strings whose Arabic is the same characters: placeholders, punctuation, technical names.
SAME_IN_ARABIC = {
    "%(class_name)s %(instance)s", "%(truncated_text)s…",
    "salt", "hash", "IPv4", "IPv6", ":?.!", ":",
}  # fmt: skip


def english_messages(app: str):
    with open(DJANGO / app / "locale/en/LC_MESSAGES/django.po", "rb") as po:
        for message in read_po(po):
            if message.id:
                yield message


@pytest.mark.parametrize("app", CATALOGUES)
def test_every_django_admin_string_has_arabic(app):
    untranslated = []
    with translation.override("ar"):
        for message in english_messages(app):
            if isinstance(message.id, tuple):
                singular, plural = message.id
                arabic = (
                    translation.npgettext(message.context, singular, plural, 5)
                    if (message.context)
                    else translation.ngettext(singular, plural, 5)
                )
                english = plural
            else:
                english = message.id
                arabic = (
                    translation.pgettext(message.context, english)
                    if message.context
                    else translation.gettext(english)
                )
            if arabic == english and english not in SAME_IN_ARABIC:
                untranslated.append(english)
    assert not untranslated, untranslated
