"""The reader's comment form: cleaning, the 255 limit, the honeypot and the fill-time stamp."""

import time

from django import forms
from django.conf import settings
from django.core import signing

from jarida.comments.services import Submission
from jarida.comments.text import MAX_LENGTH, clean_comment_text
from jarida.core.text import clean_text

STARTED_SALT = "jarida.comments.started"
HONEYPOT_FIELD = "website"

TOO_FAST = (
    "وصل التعليق أسرع مما يكتب إنسان عادةً. انتظر بضع ثوانٍ ثم اضغط «أرسل التعليق» مرة أخرى؛ "
    "نصّك محفوظ."
)


def sign_started(at: float | None = None) -> str:
    """A tamper-proof stamp of when the reader got the form (the minimum fill time)."""
    return signing.dumps(time.time() if at is None else at, salt=STARTED_SALT)


def started_at(stamp: str) -> float | None:
    """The time in a stamp from `sign_started`, or None when it is missing or forged."""
    try:
        return float(signing.loads(stamp, salt=STARTED_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


class _CleanedCharField(forms.CharField):
    """A CharField whose length limit counts the text after cleaning, not as typed."""

    cleaner = staticmethod(clean_text)

    def to_python(self, value):
        return self.cleaner(super().to_python(value))

    def widget_attrs(self, widget):
        # No `maxlength`: browsers count it in UTF-16 units (an emoji is 2), not code points.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class CommentTextField(_CleanedCharField):
    cleaner = staticmethod(clean_comment_text)


class CommentForm(forms.Form):
    text = CommentTextField(
        label="تعليقك",
        max_length=MAX_LENGTH,
        widget=forms.Textarea,
        error_messages={
            "required": "اكتب تعليقك قبل الإرسال.",
            "max_length": "تعليقك أطول من %(limit_value)d حرفًا (فيه %(show_value)d). "
            "اختصره قليلًا ثم أرسله.",
        },
    )
    name = _CleanedCharField(
        label="الاسم (اختياري)",
        max_length=60,
        required=False,
        error_messages={"max_length": "الاسم أطول من %(limit_value)d حرفًا. اختصره."},
    )
    email = forms.EmailField(
        label="البريد الإلكتروني (اختياري، لا يُنشر)",
        required=False,
        max_length=254,
        error_messages={"invalid": "عنوان البريد الإلكتروني غير صحيح. صحّحه أو اترك الحقل فارغًا."},
    )
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = time.time() if now is None else now

    @property
    def honeypot_filled(self) -> bool:
        """Bots fill every field; readers never see this one (it is hidden off-screen)."""
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())

    def clean_email(self):
        return self.cleaned_data["email"].lower()

    def clean(self):
        # A form-wide error: the reader did nothing wrong in any one field.
        issued = started_at(self.cleaned_data.get("started", ""))
        if issued is None or self.now - issued < settings.COMMENTS_MIN_FILL_SECONDS:
            raise forms.ValidationError(TOO_FAST, code="too_fast")
        return self.cleaned_data

    def stamp_for_next_try(self) -> str:
        """The stamp to render when the form comes back: keep a good one, else start now."""
        stamp = self.data.get("started", "")
        issued = started_at(stamp)
        if issued is not None and self.now - issued >= settings.COMMENTS_MIN_FILL_SECONDS:
            return stamp
        return sign_started(self.now)

    def submission(self, *, ip_address: str | None, user_agent: str) -> Submission:
        data = self.cleaned_data
        return Submission(
            text=data["text"],
            name=data["name"],
            email=data["email"],
            parent_id=data["parent"],
            ip_address=ip_address,
            user_agent=clean_text(user_agent),
        )
