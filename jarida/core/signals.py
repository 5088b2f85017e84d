"""Signals that connect apps without importing them.

`content_changed` says "what readers see may have changed" for writes that bypass
model signals (bulk imports). Receivers: the reader page cache.
`articles_saved_in_bulk`: the bulk form of an article's post_save (search, page cache).
"""

from django.dispatch import Signal

content_changed = Signal()

#: Sent by `articles.services.save_articles_in_bulk` inside its transaction, with
#: `articles` (saved, with ids) and `index_entries` (their search entries made ahead, in
#: the same order, or None) and `new_vocabulary` (when every article is new and the
#: caller made `search.services.new_vocabulary` of the entries ahead, else None): the
#: search index and the page cache follow bulk saves too.
articles_saved_in_bulk = Signal()

#: Sent by `articles.services.save_article` after it replaced an article's bylines in
#: bulk (no post_save per byline), with `article`: the search index's writer filter follows.
bylines_replaced = Signal()

#: Sent by the search index task (`search.tasks.index_articles`) once these articles'
#: index entries are written, with `article_ids`: work that reads the index about them
#: (related stories) starts from here, never before the words it needs are in.
articles_indexed = Signal()
