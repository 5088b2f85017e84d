// Arabic where the back office's scripts print English that no catalogue reaches:
// django-prose-editor 0.28 builds its toolbar tooltips from fixed English strings (only
// its dialogs go through gettext), and Django's time-zone note prints the zone's IANA
// name, which the page gives here in Arabic (data-time-zone on this script's tag).
(function () {
  "use strict";
  var script = document.currentScript;
  if (script && script.dataset.timeZone) {
    // Read by DateTimeShortcuts on window load, after this deferred script has run.
    document.body.dataset.adminServerTimezone = script.dataset.timeZone;
  }
  var TITLES = {
    "bold": "عريض",
    "italic": "مائل",
    "underline": "تسطير",
    "strike": "شطب",
    "subscript": "نص سفلي",
    "superscript": "نص علوي",
    "unordered list": "قائمة نقطية",
    "ordered list": "قائمة مرقّمة",
    "blockquote": "اقتباس",
    "horizontal rule": "خط فاصل",
    "insert link": "أدرج رابطًا",
    "remove link": "أزل الرابط",
    "paragraph": "فقرة",
    "undo": "تراجع",
    "redo": "إعادة",
    "figure": "صورة مع تعليق",
    "edit HTML": "حرّر HTML",
    "Code": "شيفرة",
    "Code block": "كتلة شيفرة",
    "Insert table": "أدرج جدولًا",
    "Merge cells": "ادمج الخلايا",
    "Split cell": "قسّم الخلية"
  };
  var arabic = function (text) {
    var heading = /^heading (\d)$/.exec(text);
    return heading ? "عنوان " + heading[1] : TITLES[text];
  };
  var translate = function (root) {
    root.querySelectorAll(".prose-menubar__button").forEach(function (button) {
      ["title", "aria-label"].forEach(function (name) {
        var text = button.getAttribute(name);
        if (text && arabic(text)) button.setAttribute(name, arabic(text));
      });
    });
  };
  // The editors build their toolbars when they start, and again on new inline rows.
  new MutationObserver(function () { translate(document); })
    .observe(document.body, { childList: true, subtree: true });
  translate(document);
})();
