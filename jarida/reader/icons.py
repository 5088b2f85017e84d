# ruff: noqa: E501  (SVG path data: one shape a line reads better than wrapped numbers)
"""Inline SVG icons: no font, no third-party request; the link around names them.

A dictionary and one tag (`{% icon "menu" %}`) instead of an included template with a
chain of comparisons: an article page prints a dozen icons, and the include cost more than
the rest of the page's header."""

from django.utils.safestring import SafeString, mark_safe

#: The shapes, drawn on a 24 x 24 grid, by name (social networks, the share sheet, menu,
#: search). An unknown name draws an empty icon, as the template did.
PATHS = {
    "facebook": '<path d="M14 8.6V6.8c0-.8.5-1 1-1h2.8V2h-3.9C10.3 2 9.6 4.6 9.6 6.3v2.3H7v4h2.6V22H14v-9.4h3.3l.5-4z"/>',
    "twitter": '<path d="M3.5 3h5l4 5.6L17.3 3h2.9l-6.3 7.3L21 21h-5l-4.4-6.1L6.3 21H3.4l6.8-7.8z"/>',
    "youtube": '<path fill-rule="evenodd" d="M21.6 7.2a2.6 2.6 0 0 0-1.8-1.8C18.2 5 12 5 12 5s-6.2 0-7.8.4a2.6 2.6 0 0 0-1.8 1.8C2 8.8 2 12 2 12s0 3.2.4 4.8a2.6 2.6 0 0 0 1.8 1.8C5.8 19 12 19 12 19s6.2 0 7.8-.4a2.6 2.6 0 0 0 1.8-1.8c.4-1.6.4-4.8.4-4.8s0-3.2-.4-4.8zM10 15.2V8.8l5.4 3.2z"/>',
    "instagram": '<path fill-rule="evenodd" d="M8 2h8a6 6 0 0 1 6 6v8a6 6 0 0 1-6 6H8a6 6 0 0 1-6-6V8a6 6 0 0 1 6-6zm0 2a4 4 0 0 0-4 4v8a4 4 0 0 0 4 4h8a4 4 0 0 0 4-4V8a4 4 0 0 0-4-4zm4 3.2a4.8 4.8 0 1 1 0 9.6 4.8 4.8 0 0 1 0-9.6zm0 2a2.8 2.8 0 1 0 0 5.6 2.8 2.8 0 0 0 0-5.6zM17.3 5.4a1.3 1.3 0 1 1 0 2.6 1.3 1.3 0 0 1 0-2.6z"/>',
    "linkedin": '<path d="M3 9h4v12H3zM5 2.8a2.2 2.2 0 1 1 0 4.4 2.2 2.2 0 0 1 0-4.4zM9.5 9h3.8v1.7c.6-1 1.9-2 3.9-2 4 0 4.8 2.6 4.8 6V21h-4v-5.6c0-1.4 0-3.1-1.9-3.1s-2.2 1.5-2.2 3V21h-4z"/>',
    "pinterest": '<path d="M12 2a10 10 0 0 0-3.6 19.3c-.1-.8-.2-2 0-2.9l1.3-5.4s-.3-.7-.3-1.6c0-1.5.9-2.7 2-2.7.9 0 1.4.7 1.4 1.6 0 1-.6 2.4-.9 3.7-.3 1.1.6 2 1.7 2 2 0 3.5-2.1 3.5-5.2 0-2.7-2-4.6-4.8-4.6-3.3 0-5.2 2.5-5.2 5 0 1 .4 2.1.9 2.7l.1.4-.3 1.3c0 .2-.2.3-.4.2-1.5-.7-2.4-2.8-2.4-4.6 0-3.7 2.7-7.2 7.9-7.2 4.1 0 7.3 3 7.3 6.9 0 4.1-2.6 7.4-6.2 7.4-1.2 0-2.4-.6-2.7-1.4l-.8 2.8c-.3 1.1-1 2.4-1.5 3.2A10 10 0 1 0 12 2z"/>',
    "rss": '<path d="M4 4.5v3a12.5 12.5 0 0 1 12.5 12.5h3A15.5 15.5 0 0 0 4 4.5zm0 6v3a6.5 6.5 0 0 1 6.5 6.5h3A9.5 9.5 0 0 0 4 10.5zM6 16a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"/>',
    "whatsapp": '<path fill-rule="evenodd" d="M12 2a10 10 0 0 0-8.6 15.1L2 22l5-1.3A10 10 0 1 0 12 2zm0 2a8 8 0 1 1-4.1 14.9l-.3-.2-3 .8.8-2.9-.2-.3A8 8 0 0 1 12 4zm-3.2 4c-.2 0-.5 0-.8.4-.3.3-1 1-1 2.4s1 2.8 1.2 3c.1.2 2 3.1 4.9 4.3 2.4 1 2.9.8 3.4.7.5 0 1.7-.7 1.9-1.4.2-.7.2-1.2.2-1.4l-.5-.3-1.8-.9c-.3-.1-.5-.1-.7.1l-.8 1c-.1.2-.3.2-.6.1a6.5 6.5 0 0 1-3.2-2.8c-.2-.4.2-.4.7-1.3v-.5L9.6 8.4c-.2-.4-.4-.4-.6-.4z"/>',
    "telegram": '<path d="M21.5 3.6 2.9 10.8c-1.3.5-1.2 1.2-.2 1.5l4.7 1.5 1.8 5.6c.2.6.4.8.9.8.4 0 .6-.2.9-.5l2.3-2.2 4.7 3.5c.9.5 1.5.2 1.7-.8l3.1-14.6c.3-1.3-.5-1.9-1.3-1.5zM8.6 13.5l9.2-5.8c.4-.3.8-.1.5.2l-7.6 6.9-.3 3.3z"/>',
    "mail": '<path d="M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 2.4V17h16V7.4l-8 5.2zM5.6 7 12 11.2 18.4 7z"/>',
    "menu": '<path d="M3 5h18v2.2H3zm0 5.9h18v2.2H3zm0 5.9h18V19H3z"/>',
    "search": '<path d="M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.5 1.5-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10z"/>',
    "share": '<path d="M18 2a3 3 0 1 1-2.2 5l-7 3.6a3 3 0 0 1 0 2.8l7 3.6a3 3 0 1 1-.9 1.8l-7-3.6a3 3 0 1 1 0-5.2l7-3.6A3 3 0 0 1 18 2z"/>',
}

SVG = (
    '<svg class="icon" aria-hidden="true" focusable="false" width="20" height="20"'
    ' viewBox="0 0 24 24" fill="currentColor">{}</svg>'
)


#: Each icon's whole element, built once.
ICONS = {name: mark_safe(SVG.format(path)) for name, path in PATHS.items()}


def icon(name: str) -> SafeString:
    """The `<svg>` of the icon `name`, hidden from screen readers (the link names it)."""
    return ICONS.get(name) or mark_safe(SVG.format(""))
