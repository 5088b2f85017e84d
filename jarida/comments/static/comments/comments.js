// The comment form's progressive touches; the form works without this file.
//
// - The counter counts what the server counts: Unicode code points of the text after
//   the cleaning in jarida/comments/text.py (mirrored below, rule for rule), so
//   `[...text].length`, never `.length` (an emoji is 2 UTF-16 units but 1 character).
// - Input stops at the limit; text pasted past it is cut at the caret.
// - Article pages are cached and set no cookies, so the form has no CSRF token: one is
//   fetched (with a fresh fill-time stamp) when the reader starts writing.
(function () {
  "use strict";

  var NEWLINES = /\r\n|[\r\u2028\u2029]/g;
  var JUNK = new RegExp(
    "[" +
      "\\uE000-\\uF8FF\\u{F0000}-\\u{10FFFF}" + // private use
      "\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069\\u061C" + // bidi controls
      "\\u200B-\\u200D\\u2060-\\u2064\\uFEFF" + // zero-width
      "\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F" + // controls but tab and line feed
      "]",
    "gu"
  );
  var TRAILING_SPACE = /[ \t]+\n/g;
  var BLANK_LINES = /\n{3,}/g;
  var EDGE_SPACE =
    /^[\t\n \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+|[\t\n \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+$/g;
  var ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩";

  function clean(text) {
    // A lone surrogate reaches the server as U+FFFD, as the browser encodes it.
    if (text.toWellFormed) text = text.toWellFormed();
    return text
      .replace(NEWLINES, "\n")
      .replace(JUNK, "")
      .normalize("NFC")
      .replace(TRAILING_SPACE, "\n")
      .replace(BLANK_LINES, "\n\n")
      .replace(EDGE_SPACE, "");
  }

  function count(text) {
    return Array.from(clean(text)).length;
  }

  window.JaridaComments = { clean: clean, count: count };

  function digits(n, system) {
    var s = String(n);
    return system === "arabic_indic"
      ? s.replace(/[0-9]/g, function (d) { return ARABIC_INDIC[d]; })
      : s;
  }

  // Cut what was just typed or pasted (before the caret) until the text fits `allowed`.
  function fit(textarea, allowed) {
    var value = textarea.value;
    var caret = textarea.selectionEnd;
    var before = Array.from(value.slice(0, caret));
    var after = value.slice(caret);
    var lo = 0;
    var hi = before.length;
    while (lo < hi) {
      var mid = Math.ceil((lo + hi) / 2);
      if (count(before.slice(0, mid).join("") + after) <= allowed) lo = mid;
      else hi = mid - 1;
    }
    var kept = before.slice(0, lo).join("");
    textarea.value = kept + after;
    textarea.setSelectionRange(kept.length, kept.length);
  }

  function setUp(form) {
    var textarea = form.elements.text;
    var counter = form.querySelector("[data-remaining]");
    var counterBox = form.querySelector(".comment-counter");
    var status = form.querySelector("[data-status]");
    var replying = form.querySelector("[data-replying]");
    var max = Number(form.dataset.maxLength);
    // The server refuses forms sent faster than a person writes (a margin for rounding).
    var minFillMs = Number(form.dataset.minFill) * 1000 + 250;
    var readyAt = Date.now() + Number(form.dataset.readyIn) * 1000 + 250;
    var previous = count(textarea.value);
    var token = null;
    var sending = false;

    function update() {
      var used = count(textarea.value);
      // Never grow past the limit; a text already over it (sent back by the server)
      // may only shrink, so nothing the reader wrote is thrown away.
      if (used > max && used > previous) {
        fit(textarea, Math.max(max, previous));
        used = count(textarea.value);
      }
      previous = used;
      counter.textContent = digits(max - used, form.dataset.digits);
      counterBox.classList.toggle("comment-counter--over", used > max);
      counterBox.classList.toggle("comment-counter--low", max - used <= 20);
    }

    function fetchToken() {
      if (form.elements.csrfmiddlewaretoken.value) return Promise.resolve();
      if (!token) {
        token = fetch(form.dataset.tokenUrl, {
          credentials: "same-origin",
          cache: "no-store",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            if (!response.ok) throw new Error(response.status);
            return response.json();
          })
          .then(function (data) {
            form.elements.csrfmiddlewaretoken.value = data.csrf;
            form.elements.started.value = data.started;
            readyAt = Date.now() + minFillMs;
          })
          .catch(function () {
            // Without a token the post lands on the confirmation page: nothing is lost.
            token = null;
          });
      }
      return token;
    }

    textarea.addEventListener("input", function (event) {
      if (!event.isComposing) update();
    });
    textarea.addEventListener("compositionend", update);
    form.addEventListener("focusin", fetchToken);

    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault();
        return;
      }
      if (!form.checkValidity()) return;
      event.preventDefault();
      sending = true;
      status.textContent = "جارٍ الإرسال…";
      form.querySelector("[type=submit]").disabled = true;
      fetchToken().then(function () {
        var wait = Math.max(0, readyAt - Date.now());
        window.setTimeout(function () { HTMLFormElement.prototype.submit.call(form); }, wait);
      });
    });

    document.addEventListener("click", function (event) {
      var link = event.target.closest("[data-reply-to]");
      if (link) {
        event.preventDefault();
        form.elements.parent.value = link.dataset.replyTo;
        replying.querySelector("[data-replying-text]").textContent =
          "ردّك على " + link.dataset.replyName + ".";
        replying.hidden = false;
        textarea.focus();
      } else if (event.target.closest("[data-cancel-reply]")) {
        form.elements.parent.value = "";
        replying.hidden = true;
        textarea.focus();
      }
    });

    // Back from the result page (bfcache): the form is usable again.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) return;
      sending = false;
      status.textContent = "";
      form.querySelector("[type=submit]").disabled = false;
    });

    update();
  }

  document.querySelectorAll("form.comment-form").forEach(setUp);
})();
