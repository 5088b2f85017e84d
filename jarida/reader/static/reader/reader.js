// Progressive touches for readers; every page works without this file.
(function () {
  "use strict";
  var backToTop = document.querySelector(".back-to-top");
  if (backToTop) {
    // Float the control only where the page has a margin wide enough to hold it beside
    // the 72rem column; on phones and tablets it would cover the ends of lines, so there
    // it stays in the footer. Shown once the reader has scrolled a screen down.
    var wide = window.matchMedia("(min-width: 84rem)");
    var update = function () {
      backToTop.classList.toggle("is-floating", wide.matches);
      backToTop.hidden = wide.matches && window.scrollY < window.innerHeight;
    };
    window.addEventListener("scroll", update, { passive: true });
    wide.addEventListener("change", update);
    update();
    // Keyboard readers land on the header: focus follows the jump, not only the view.
    backToTop.addEventListener("click", function () {
      var top = document.getElementById("top");
      if (top) {
        top.setAttribute("tabindex", "-1");
        top.focus({ preventScroll: true });
      }
    });
  }

  // Text size: three steps, kept in localStorage (no cookie: cached pages are one for all
  // readers); the script in the head sets the class before the first paint.
  var root = document.documentElement;
  document.querySelectorAll("[data-text-size-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      var size = root.classList.contains("text-size-2") ? 2 : root.classList.contains("text-size-1") ? 1 : 0;
      size = Math.max(0, Math.min(2, size + +button.getAttribute("data-text-size-step")));
      root.classList.remove("text-size-1", "text-size-2");
      if (size) { root.classList.add("text-size-" + size); }
      try { localStorage.setItem("jarida-text-size", String(size)); } catch (e) { /* private mode */ }
    });
  });

  // The phone's share sheet; the plain links beside it work everywhere else.
  var share = document.querySelector(".share-native");
  if (share && navigator.share) {
    share.addEventListener("click", function () {
      navigator.share({ title: document.title, url: share.getAttribute("data-share-url") }).catch(function () {});
    });
  }

  // Sponsored slots: the page carries every creative that may run while it is cached;
  // draw one for this reader among those running now, by weight, and count it shown.
  var now = Date.now() / 1000;
  document.querySelectorAll("[data-sponsored-slot]").forEach(function (slot) {
    var items = [].slice.call(slot.querySelectorAll(".sponsored-creative"));
    var running = items.filter(function (a) {
      return +a.getAttribute("data-starts") <= now && now < +a.getAttribute("data-ends");
    });
    var total = running.reduce(function (sum, a) { return sum + (+a.getAttribute("data-weight") || 1); }, 0);
    var draw = Math.random() * total;
    var chosen = null;
    running.forEach(function (a) {
      draw -= +a.getAttribute("data-weight") || 1;
      if (!chosen && draw < 0) { chosen = a; }
    });
    items.forEach(function (a) { a.hidden = a !== chosen; });
    // Nothing running (a campaign ended while the page was cached): no label, no slot.
    slot.hidden = !chosen;
    if (chosen && navigator.sendBeacon) {
      navigator.sendBeacon(chosen.getAttribute("data-seen"));
    }
  });

  // One page view for "most read": posted once the page has loaded, cached or not.
  var counted = document.querySelector("[data-view-beacon]");
  if (counted && navigator.sendBeacon) {
    navigator.sendBeacon(counted.getAttribute("data-view-beacon"));
  }
})();
