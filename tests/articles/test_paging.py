"""Deep archive pages found through the index (keyset) list what OFFSET would list."""

from datetime import datetime, timedelta

import pytest

from jarida.articles.models import Article
from jarida.articles.paging import ArchivePaginator

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-01-01T10:00:00+03:00")


@pytest.fixture
def archive(make_article):
    # Stories sharing a publication time (an import stamps many at once): the id breaks ties.
    return [make_article(published_at=START + timedelta(hours=n // 3)) for n in range(23)]


def _pages(paginator):
    return [[a.pk for a in paginator.page(n)] for n in paginator.page_range]


def test_seeking_pages_list_the_same_stories_as_offset(archive):
    newest = Article.objects.published().newest_first()
    by_offset = _pages(ArchivePaginator(newest, 4, seek_after=10**6))
    by_seek = _pages(ArchivePaginator(newest, 4, seek_after=1))
    assert by_seek == by_offset
    assert [pk for page in by_seek for pk in page] == [
        a.pk for a in sorted(archive, key=_newest_key)
    ]
    assert len(by_seek) == 6 and len(by_seek[-1]) == 3


def _newest_key(article):
    return (-article.published_at.timestamp(), -article.pk)


def test_a_deep_page_costs_a_fixed_number_of_queries(archive, django_assert_num_queries):
    paginator = ArchivePaginator(Article.objects.published().newest_first(), 4, seek_after=1)
    paginator.count  # noqa: B018 (the count is asked once per page view, apart)
    with django_assert_num_queries(2):  # the boundary from the index, then the page
        assert len(list(paginator.page(5))) == 4


def test_a_page_past_the_end_is_empty(archive):
    from django.core.paginator import EmptyPage

    paginator = ArchivePaginator(Article.objects.published().newest_first(), 4, seek_after=1)
    with pytest.raises(EmptyPage):
        paginator.page(7)
