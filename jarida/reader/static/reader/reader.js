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
  }
})();
