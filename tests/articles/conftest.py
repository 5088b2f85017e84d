import pytest
from django.contrib.auth.models import Group

from jarida.accounts.roles import ensure_roles


@pytest.fixture
def roles(db):
    ensure_roles()


@pytest.fixture
def member(roles, django_user_model):
    """A staff user in one newsroom role: member("محرر")."""

    def make(role: str, username: str | None = None):
        user = django_user_model.objects.create_user(
            username or f"user-{role}", password="pw", is_staff=True
        )
        user.groups.add(Group.objects.get(name=role))
        return user

    return make


def article_form(article, **changes):
    """The admin change form's POST data for an article, with `changes` applied."""
    data = {
        "kicker": article.kicker,
        "title": article.title,
        "summary": article.summary,
        "body": article.body,
        "section": article.section_id,
        "published_at_0": article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": article.published_at.strftime("%H:%M:%S") if article.published_at else "",
        "slug": article.slug,
        "comments_open": "on",
        "dateline": article.dateline,
        "source_agency": article.source_agency_id or "",
        "source_url": article.source_url,
        "loaded_version": article.version,
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data
