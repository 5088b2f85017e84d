"""The reader's search form: free text, filters and order, every field forgiving."""

from django import forms

from jarida.articles.navigation import menu_sections
from jarida.core.arabic import normalize

ORDER_CHOICES = [("relevance", "الأكثر صلة"), ("newest", "الأحدث")]


class LocalDigitsDateField(forms.DateField):
    """A date typed with Arabic-Indic or Persian digits parses like one with Western digits."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize(value)
        return super().to_python(value)


class SearchForm(forms.Form):
    q = forms.CharField(label="ابحث", required=False, max_length=10_000, strip=True)
    section = forms.ChoiceField(label="القسم", required=False)
    writer = forms.SlugField(label="الكاتب", required=False, allow_unicode=True)
    date_from = LocalDigitsDateField(
        label="من تاريخ", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = LocalDigitsDateField(
        label="إلى تاريخ", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(label="الترتيب", choices=ORDER_CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [("", "كل الأقسام")] + [
            (s.slug, s.name) for s in menu_sections()
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "تاريخ النهاية قبل تاريخ البداية.")
        return data
