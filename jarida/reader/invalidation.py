"""What each change readers could see invalidates: exactly the surrogate keys of the pages
that show it (page_cache), bumped after the commit, then an edge purge queued.

* An article published, unpublished, deleted, rescheduled or moved to another section
  changes lists: its page, home, the feeds, the sitemaps, the API list, its sections
  (old and new), its tags and its writers.
* An edit to a public article changes only the pages showing it: `article-N` (which every
  list showing it carries) and the sitemaps (their `lastmod`).
* A draft, an article in review or one still scheduled for later is seen by no reader:
  saving it invalidates nothing (a schedule set or moved does, see `_changes`).
* A comment shown or hidden: `comments-N`, its article's page and the API's comment list
  (lists show no comments).
* Tags, writers and agencies created invalidate nothing (no page shows them yet); renamed
  or deleted they, like sections (the menu), the site settings and bulk restores, change
  pages everywhere: `all`.
* An image changed or deleted: the public articles featuring it.

Nothing is bumped before the commit: a reader served in between would store the old
page under the new versions.
"""

import logging

from django.db import transaction

from jarida.reader import page_cache as pc

logger = logging.getLogger(__name__)

#: A bulk write touching more keys than this drops everything instead of naming them.
MAX_KEYS = 500


def invalidate(keys) -> None:
    """Bump `keys` and purge the edge once the current transaction commits (now if none).

    `keys` may be a function, called after the commit: an article's tags and bylines are
    replaced after the article itself is saved (bylines in bulk, without signals), so
    the lists it joins are only known then.

    One callback per call, holding its own keys: a rolled-back savepoint drops its keys
    with its callback, and nothing can be lost by being merged into a callback that
    never runs. A publication thus sends a few small purges (the article, then its
    bylines and tags as they are replaced), each cheap.
    """
    if callable(keys):
        transaction.on_commit(lambda: _flush(keys()))
    elif keys:
        keys = set(keys)
        transaction.on_commit(lambda: _flush(keys))


def _flush(keys) -> None:
    keys = sorted(keys)
    if not keys:
        return
    if len(keys) > MAX_KEYS:
        keys = [pc.ALL]
    pc.bump(keys)
    try:
        from jarida.reader.purge import queue_purge

        queue_purge(keys)
    except Exception:
        # The write is committed and this server's pages follow it; the edge keeps its
        # copies until their s-maxage: say so loudly, never fail the editor's save.
        logger.exception("could not queue the edge purge of %s", " ".join(keys))


def invalidate_everything(**kwargs) -> None:
    invalidate({pc.ALL})


# Articles -----------------------------------------------------------------------------


def _state(status, published_at, section_id):
    """What readers' lists depend on, or None for an article no reader can ever see."""
    from jarida.articles.models import Article

    if status != Article.Status.PUBLISHED or published_at is None:
        return None
    return (published_at, section_id)


def _is_visible(state) -> bool:
    from django.utils import timezone

    return state is not None and state[0] <= timezone.now()


def membership_keys(article, section_ids=()) -> set[str]:
    """Every page listing `article` (queried now: its tags and writers)."""
    keys = {pc.article_key(article.pk), pc.HOME, pc.FEEDS, pc.SITEMAPS, pc.API_ARTICLES}
    keys |= {pc.section_key(pk) for pk in {article.section_id, *section_ids}}
    keys |= {pc.tag_key(pk) for pk in article.tags.values_list("pk", flat=True)}
    keys |= {pc.writer_key(pk) for pk in article.bylines.values_list("contributor_id", flat=True)}
    return keys


def _writers(article) -> set[int]:
    return set(article.bylines.values_list("contributor_id", flat=True))


def _changes(before, after, article, writers_before) -> set[str]:
    """The keys a saved article changes, worked out after the commit."""
    if before == after:
        if not _is_visible(after):
            return set()
        # The same place in the same lists: only the pages showing it change, and the
        # lists of writers credited in this save (old ones: the byline's own signal).
        added = _writers(article) - writers_before
        return {pc.article_key(article.pk), pc.SITEMAPS, *map(pc.writer_key, added)}
    # Published, unpublished, rescheduled or moved. A schedule set or moved counts too:
    # pages stored before it were given a life past the story's new time.
    old_sections = [before[1]] if before else []
    return membership_keys(article, old_sections)


def article_before_save(sender, instance, raw=False, **kwargs):
    instance._page_cache_before, instance._page_cache_writers = None, set()
    if raw or instance._state.adding or instance.pk is None:
        return
    row = (
        sender.objects.filter(pk=instance.pk)
        .values_list("status", "published_at", "section_id")
        .first()
    )
    instance._page_cache_before = _state(*row) if row else None
    if instance._page_cache_before is not None:
        instance._page_cache_writers = _writers(instance)


def article_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_page_cache_before", None)
    writers_before = getattr(instance, "_page_cache_writers", set())
    after = _state(instance.status, instance.published_at, instance.section_id)
    if before is None and after is None:
        return  # a draft, in review, unpublished: no reader sees it
    invalidate(lambda: _changes(before, after, instance, writers_before))


def article_deleted(sender, instance, **kwargs):
    # pre_delete: its tags and bylines are still there to name.
    if _state(instance.status, instance.published_at, instance.section_id) is not None:
        invalidate(membership_keys(instance))


def tags_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    from jarida.articles.models import Article

    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # article.tags changed
        if _state(instance.status, instance.published_at, instance.section_id) is None:
            return
        tags = pk_set if pk_set is not None else instance.tags.values_list("pk", flat=True)
        keys = {pc.article_key(instance.pk), pc.SITEMAPS}
        invalidate(keys | {pc.tag_key(pk) for pk in tags})
        return
    # tag.articles changed
    articles = (
        Article.objects.published()
        if pk_set is None
        else Article.objects.filter(pk__in=pk_set).published()
    )
    if action == "pre_clear":
        articles = articles.filter(tags=instance)
    pks = list(articles.values_list("pk", flat=True))
    if pks:
        invalidate({pc.tag_key(instance.pk), pc.SITEMAPS, *(pc.article_key(pk) for pk in pks)})


def byline_before_save(sender, instance, raw=False, **kwargs):
    instance._page_cache_writer = None
    if not raw and instance.pk is not None and not instance._state.adding:
        instance._page_cache_writer = (
            sender.objects.filter(pk=instance.pk).values_list("contributor_id", flat=True).first()
        )


def byline_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    article = instance.article
    if _state(article.status, article.published_at, article.section_id) is None:
        return
    writers = {instance.contributor_id, getattr(instance, "_page_cache_writer", None)}
    invalidate({pc.article_key(article.pk), *(pc.writer_key(pk) for pk in writers if pk)})


def articles_saved_in_bulk(sender, articles, **kwargs):
    # The lists a batch joins, in two queries for the whole batch (tags, bylines), not two
    # per article: an import saves thousands.
    from jarida.articles.models import Article, Byline

    public = [a for a in articles if _state(a.status, a.published_at, a.section_id) is not None]
    if not public:
        return
    ids = [a.pk for a in public]
    keys = {pc.HOME, pc.FEEDS, pc.SITEMAPS, pc.API_ARTICLES}
    keys |= {pc.article_key(a.pk) for a in public} | {pc.section_key(a.section_id) for a in public}
    tags = Article.tags.through.objects.filter(article_id__in=ids).values_list("tag_id")
    writers = Byline.objects.filter(article_id__in=ids).values_list("contributor_id")
    keys |= {pc.tag_key(pk) for (pk,) in tags.distinct()}
    keys |= {pc.writer_key(pk) for (pk,) in writers.distinct()}
    invalidate({pc.ALL} if len(keys) > MAX_KEYS else keys)


# Everything else ----------------------------------------------------------------------


def renamed_or_deleted(sender, instance, created=False, raw=False, **kwargs):
    """Tags, writers, agencies: nothing shows a new one; a change shows wherever it is."""
    if not created and not raw:
        invalidate_everything()


def image_changed(sender, instance, created=False, raw=False, **kwargs):
    from jarida.articles.models import Article

    if created or raw:
        return  # no page shows a picture just uploaded
    pks = Article.objects.published().filter(featured_image=instance.pk)
    invalidate({pc.article_key(pk) for pk in pks.values_list("pk", flat=True)})


def comment_shown_or_hidden(sender, comment=None, article=None, **kwargs):
    if article is not None:
        invalidate({pc.comments_key(article.pk)})
