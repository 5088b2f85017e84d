from django.contrib import admin
from django.utils.html import format_html

from jarida.media.models import Image


@admin.register(Image)
class ImageAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "alt_text", "credit", "created_at"]
    search_fields = ["alt_text", "caption", "credit"]
    readonly_fields = ["width", "height"]

    @admin.display(description="معاينة")
    def thumbnail(self, image):
        return format_html('<img src="{}" alt="" style="max-height:60px">', image.file.url)
