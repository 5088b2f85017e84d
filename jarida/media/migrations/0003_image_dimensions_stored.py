"""Fill the width and height of images saved without them.

Until now `save_image` left both empty, and Django's ImageField then opened and measured
the file every time such an Image was loaded (every card of the home page, on every request).
"""

from django.core.files.images import get_image_dimensions
from django.core.files.storage import default_storage
from django.db import migrations


def fill_dimensions(apps, schema_editor):
    Image = apps.get_model("media", "Image")
    # Names only: loading the model would measure each file a second time.
    missing = Image.objects.filter(width__isnull=True).exclude(file="").values_list("pk", "file")
    for pk, name in missing.iterator(chunk_size=500):
        try:
            with default_storage.open(name, "rb") as handle:
                width, height = get_image_dimensions(handle)
        except OSError:  # a file gone from the disk: leave the row as it was
            continue
        if width and height:
            Image.objects.filter(pk=pk).update(width=width, height=height)


class Migration(migrations.Migration):
    dependencies = [("media", "0002_image_renditions")]

    operations = [migrations.RunPython(fill_dimensions, migrations.RunPython.noop, elidable=True)]
