from django.contrib import admin
from django.utils.html import format_html

from jarida.media.models import Image
from jarida.media.services import save_image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "credit", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    # Read from the file; shown under Arabic labels (the model fields carry none, and a
    # label there would cost a migration for nothing but the admin).
    readonly_fields = ["pixel_width", "pixel_height"]

    @admin.display(description="العرض (بكسل)")
    def pixel_width(self, image):
        return image.width

    @admin.display(description="الارتفاع (بكسل)")
    def pixel_height(self, image):
        return image.height

    def save_model(self, request, obj, form, change):
        if "file" in form.changed_data:
            obj.renditions = []  # a new picture gets new renditions
        save_image(obj)

    @admin.display(description="معاينة")
    def thumbnail(self, image):
        # A size attribute, not a style: the CSP allows no inline styles.
        return format_html('<img src="{}" alt="" height="60">', image.file.url)
