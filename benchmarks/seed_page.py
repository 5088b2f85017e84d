"""Put the seed article page (../shared/fixtures/seed-article.json) into a Jarida site, as
the performance anchors (../shared/bench/anchors) serve it: the article with its byline
and source, its one published comment, and the related story it shows. Prints the
article's path.

    JARIDA_DATA_DIR=... .venv/bin/python benchmarks/seed_page.py

Everything goes through the product's own writers (services.save_article, the comment
and related-choice services); running it twice changes nothing.
"""

import json
import os
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = (
    Path(os.environ.get("JARIDA_SHARED_DIR", ROOT.parent / "shared")) / "fixtures/seed-article.json"
)


def load(seed: dict) -> str:
    from django.db import transaction

    from jarida.articles import services
    from jarida.articles.models import Agency, Article, Section
    from jarida.comments import services as comments
    from jarida.comments.models import Comment
    from jarida.core.models import SiteSettings
    from jarida.related import services as related

    existing = Article.objects.filter(title=seed["title"]).first()
    if existing:
        return existing.get_absolute_url()
    with transaction.atomic():
        site = SiteSettings.load()
        site.site_name = seed["site_name"]
        site.save()
        section, _ = Section.objects.get_or_create(
            slug=seed["section"]["slug"], defaults={"name": seed["section"]["name"]}
        )
        Agency.objects.get_or_create(
            name=seed["source"]["agency"],
            defaults={"name_en": seed["source"]["agency_en"], "slug": "ap"},
        )
        card = seed["related"]["items"][0]
        # The card shows "dateline/ author" before the story's opening and WordPress's "[…]".
        credit = f"{card['dateline']}/ {card['author']} "
        opening = card["excerpt_display"].removeprefix(credit).removesuffix(" […]")
        other = services.save_article(
            Article(
                title=card["title"],
                section=section,
                dateline=card["dateline"],
                body=f"<p>{opening}</p>",
                status=Article.Status.PUBLISHED,
                published_at=datetime.fromisoformat(card["date"] + "T09:00:00+03:00"),
            ),
            bylines=[services.BylineSpec(services.contributor_named(card["author"]))],
        )
        article = services.save_article(
            Article(
                title=seed["title"],
                section=section,
                body="".join(f"<p>{p}</p>" for p in seed["body_paragraphs"]),
                source_agency=services.agency_named(seed["source"]["agency"]),
                status=Article.Status.PUBLISHED,
                published_at=datetime.fromisoformat(seed["published_at"]),
            ),
            bylines=[
                services.BylineSpec(services.contributor_named(b["name"]), b["role"])
                for b in seed["bylines"]
            ],
        )
        item = seed["comments"]["items"][0]
        comments.save_comments_in_bulk(
            [
                comments.new_comment(
                    article,
                    comments.Submission(text=item["text"], name=item["author"]),
                    status=Comment.Status.PUBLISHED,
                )
            ]
        )
        related.set_choices(article, pinned=[other.pk], excluded=[])
    return article.get_absolute_url()


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jarida.settings")
    import django

    django.setup()
    print(load(json.loads(SEED.read_text())))


if __name__ == "__main__":
    main()
