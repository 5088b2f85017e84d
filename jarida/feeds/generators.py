"""Feed formats on top of Django's feedgenerator: every credit, full content, JSON Feed.

Django's RSS and Atom writers take one author per item. A paper credits several people
in several roles (`ترجمة: حامد أحمد`), so each item carries `credits` (name, role, link)
and, when the site syndicates full text, `content_html`; the writers below print them.
"""

import json

from django.utils import feedgenerator
from django.utils.feedgenerator import rfc3339_date
from django.utils.html import escape

DC = "http://purl.org/dc/elements/1.1/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
AUTHOR = "author"


def _authors(item) -> list[dict]:
    return [c for c in item.get("credits", ()) if c["role"] == AUTHOR]


def _contributors(item) -> list[dict]:
    return [c for c in item.get("credits", ()) if c["role"] != AUTHOR]


class RssFeed(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with `dc:creator` per author, `dc:contributor` per other credit and
    `content:encoded` for the full text.

    Feed readers render an RSS `<title>` and `<description>` as HTML, so the plain text
    Jarida puts there (titles, summaries, the tagline, a section's description) is
    HTML-escaped first: a `<script>` typed in a summary reaches the reader as text.
    """

    def __init__(self, title, link, description, *args, **kwargs):
        super().__init__(escape(title), link, escape(description or ""), *args, **kwargs)

    def add_item(self, title, link, description, *args, **kwargs):
        super().add_item(escape(title), link, escape(description or ""), *args, **kwargs)

    def rss_attributes(self):
        return super().rss_attributes() | {"xmlns:dc": DC, "xmlns:content": CONTENT}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for credit in _authors(item):
            handler.addQuickElement("dc:creator", credit["name"])
        for credit in _contributors(item):
            handler.addQuickElement("dc:contributor", credit["name"])
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomFeed(feedgenerator.Atom1Feed):
    """Atom 1.0 with an `author` per author, a `contributor` per other credit, `content`.

    Django writes the item description as `<summary type="html">`: the plain-text summary
    is HTML-escaped for it (titles and the subtitle are Atom text constructs already).
    """

    def add_item(self, title, link, description, *args, **kwargs):
        super().add_item(title, link, escape(description or ""), *args, **kwargs)

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for element, credits in (("author", _authors(item)), ("contributor", _contributors(item))):
            for credit in credits:
                handler.startElement(element, {})
                handler.addQuickElement("name", credit["name"])
                if credit.get("link"):
                    handler.addQuickElement("uri", credit["link"])
                handler.endElement(element)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); credits in a `_jarida` extension."""

    content_type = "application/feed+json; charset=utf-8"
    version = "https://jsonfeed.org/version/1.1"

    def write(self, outfile, encoding):
        outfile.write(json.dumps(self.as_dict(), ensure_ascii=False, indent=1).encode(encoding))

    def as_dict(self) -> dict:
        feed = {
            "version": self.version,
            "title": self.feed["title"],
            "home_page_url": self.feed["link"],
            "feed_url": self.feed["feed_url"],
            "description": self.feed["description"],
            "language": self.feed["language"],
            "items": [self.item_dict(item) for item in self.items],
        }
        if self.feed["author_name"]:
            feed["authors"] = [{"name": self.feed["author_name"], "url": self.feed["link"]}]
        return feed

    def item_dict(self, item) -> dict:
        entry = {"id": item["unique_id"] or item["link"], "url": item["link"]}
        entry["title"] = item["title"]
        if item.get("content_html"):
            entry["content_html"] = item["content_html"]
        else:
            entry["content_text"] = item["description"] or ""
        entry["summary"] = item["description"] or ""
        if item["enclosures"]:
            entry["image"] = item["enclosures"][0].url
        if item["pubdate"]:
            entry["date_published"] = rfc3339_date(item["pubdate"])
        if item["updateddate"]:
            entry["date_modified"] = rfc3339_date(item["updateddate"])
        authors = [{"name": c["name"], "url": c["link"]} for c in _authors(item)]
        if authors:
            entry["authors"] = authors
        if item["categories"]:
            entry["tags"] = list(item["categories"])
        entry["_jarida"] = {
            "credits": [
                {"name": c["name"], "role": c["role"], "label": c["label"], "url": c["link"]}
                for c in item.get("credits", ())
            ]
        }
        return entry
