"""Newest-first archives whose deep pages cost about what the first one does.

Section, tag and writer archives and the article sitemap are read newest first (published
date, then id); the `(…, published_at, id)` indexes give them in that order. Django's
Paginator reaches page N with OFFSET, which reads and drops every row before it: 69 ms for
page 500 of a section at 300,000 stories on PostgreSQL, growing with the depth. Here a deep
page finds the story just before it from the index alone (an index-only walk of two
columns) and reads its own rows from there (keyset): 1.3 ms (benchmarks/listing_plans.py).
"""

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Q
from django.utils.functional import cached_property

#: Pages up to this one use OFFSET as usual (cheap that close to the top).
SEEK_AFTER_PAGE = 5


def older_than(queryset, published_at, pk):
    """Stories after (published_at, pk) in newest-first order: a keyset condition the
    (…, published_at, id) indexes answer directly. Written as `<= AND (< OR <)` so the
    bound on published_at is a range the index scan starts from, not a filter on every row.
    A writer's or tag's archive compares the copies its index holds (`archive_keys`)."""
    at, key = queryset.archive_keys()
    return queryset.filter(
        Q(**{f"{at}__lte": published_at})
        & (Q(**{f"{at}__lt": published_at}) | Q(**{f"{key}__lt": pk}))
    ).newest_first()


class ArchivePaginator(Paginator):
    """Newest-first archive pages whose deep pages cost what page 1 costs, give or take an
    index-only walk: past `seek_after` pages, the last story before the page is found from the
    index alone (date and id), and the page is read from there (keyset), never with OFFSET
    over whole rows. Same page numbers and URLs as Django's Paginator."""

    def __init__(
        self, object_list, per_page, seek_after: int = SEEK_AFTER_PAGE, counted=None, **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.seek_after = seek_after
        self.counted = counted

    @cached_property
    def count(self):
        """The stories in the archive; `counted`, when given, is a cheaper queryset with as
        many rows (a writer's or tag's public entries, counted off their index alone
        rather than joined to the articles: 2.4 ms for 670 stories at 300,000)."""
        return super().count if self.counted is None else self.counted.count()

    def page(self, number):
        number = self.validate_number(number)
        if number <= self.seek_after:
            return super().page(number)
        before = (number - 1) * self.per_page
        keys = self.object_list.prefetch_related(None)
        keys = keys.values_list(*self.object_list.archive_keys())
        boundary = list(keys[before - 1 : before])
        if not boundary:
            raise EmptyPage("لا توجد صفحة بهذا الرقم.")
        rows = older_than(self.object_list, *boundary[0])[: self.per_page]
        return self._get_page(list(rows), number, self)
