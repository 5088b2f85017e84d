"""Model fields that clean their text on every save, whatever path the save takes."""

from django.db import models
from django_prose_editor.fields import ProseEditorField

from jarida.core.text import clean_text, sanitize_html

#: On an instance: {attname: value} of values this field's own cleaner already returned
#: (a bulk import cleans its text in a worker process); the very same object is not
#: cleaned twice. Any other value (changed since, even to an equal string) is cleaned.
CLEANED = "_jarida_cleaned"


class _CleanOnSave:
    cleaner = staticmethod(clean_text)

    def clean_value(self, value):
        """The value as a save stores it (what `pre_save` does, without an instance)."""
        return self.cleaner(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value and getattr(model_instance, CLEANED, {}).get(self.attname) is not value:
            value = self.cleaner(value)
            setattr(model_instance, self.attname, value)
        return value


class CleanCharField(_CleanOnSave, models.CharField):
    """A one-line text field: private-use, bidi and zero-width characters removed."""


class CleanTextField(_CleanOnSave, models.TextField):
    """A plain-text paragraph (summary, bio, caption) cleaned like a one-line field."""


# The editor offers what the sanitiser keeps (jarida.core.text.ALLOWED_TAGS).
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "History": True,
    # The package turns the browser's spell-checker off by default; a newsroom wants it.
    "NoSpellCheck": False,
}


class RichTextField(_CleanOnSave, ProseEditorField):
    """Article HTML: edited in a right-to-left rich-text editor, allow-list sanitised."""

    cleaner = staticmethod(sanitize_html)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", BODY_EDITOR_EXTENSIONS)
        kwargs.setdefault("sanitize", sanitize_html)
        super().__init__(*args, **kwargs)
