// Progressive touches for readers; every page works without this file.
(function () {
  "use strict";
  var backToTop = document.querySelector(".back-to-top");
  if (backToTop) {
    // Float the control, shown only once the reader has scrolled a screen down.
    backToTop.classList.add("is-floating");
    var update = function () { backToTop.hidden = window.scrollY < window.innerHeight; };
    window.addEventListener("scroll", update, { passive: true });
    update();
  }
})();
