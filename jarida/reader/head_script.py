"""The one inline script of reader pages, run in <head> before the first paint.

It marks <html> with what the reader chose and what the browser can do, so the page is
drawn once in its final layout: `js` (the phone menu's button and the text-size buttons
are shown; the menu's click is handled here, so it works without reader.js),
`text-size-1`/`-2` (the reader's text size, kept in localStorage: cached pages are the
same for every reader, so no cookie and no server-side variant) and `can-share` (the Web
Share API exists). Its text never changes with the page, so the Content-Security-Policy
allows it by hash (CSP_HASH, in settings.SECURE_CSP) rather than by a nonce: a nonce
would make every rendering of a page different and break ETags across servers.

Pure Python: settings import it.
"""

import base64
import hashlib

SCRIPT = (
    "(function(d,h){h.classList.add('js');"
    "try{var t=localStorage.getItem('jarida-text-size');"
    "if(t==='1'||t==='2')h.classList.add('text-size-'+t)}catch(e){}"
    "if(navigator.share)h.classList.add('can-share');"
    "d.addEventListener('click',function(e){var b=e.target.closest('.menu-toggle'),"
    "n=d.getElementById('sections-nav');"
    "if(b&&n)b.setAttribute('aria-expanded',n.classList.toggle('is-open'))})"
    "})(document,document.documentElement)"
)

#: The policy's source expression for SCRIPT.
_DIGEST = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
CSP_HASH = f"'sha256-{_DIGEST}'"
