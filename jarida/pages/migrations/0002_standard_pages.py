"""The four pages every paper has, made empty and out of the footer: the newsroom writes
them and ticks "in the footer" (an empty page shown to readers would promise nothing)."""

from django.db import migrations

PAGES = [
    ("about", "من نحن", 0),
    ("contact", "اتصل بنا", 1),
    ("advertise", "أعلن معنا", 2),
    ("privacy", "سياسة الخصوصية", 3),
]


def create(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for slug, title, position in PAGES:
        Page.objects.get_or_create(
            slug=slug, defaults={"title": title, "position": position, "in_footer": False}
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
