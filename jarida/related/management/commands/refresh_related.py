from django.core.management.base import BaseCommand

from jarida.articles.models import Article
from jarida.related import services


class Command(BaseCommand):
    help = (
        "يحسب المقالات ذات الصلة لكل مقال منشور ويخزنها (بعد استيراد بالجملة: "
        "الاستيراد لا يحسبها مقالًا مقالًا)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="only articles with none stored")

    def handle(self, *args, missing=False, **options):
        articles = Article.objects.published().order_by("pk")
        if missing:
            articles = articles.filter(related_cards__isnull=True)
        done = 0
        for article in articles.iterator(chunk_size=200):
            services.refresh_related(article)
            done += 1
        self.stdout.write(f"{done} مقالًا حُسبت مقالاته ذات الصلة.")
