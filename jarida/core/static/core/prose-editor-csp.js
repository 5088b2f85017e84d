// The rich-text editor under a Content Security Policy without 'unsafe-inline'.
//
// Tiptap (inside django-prose-editor) injects one <style> element with its base CSS when an
// editor starts, without a nonce unless told one, and django-prose-editor does not tell it.
// This module runs after the import map and before the editor's own start-up module
// (ArticleAdmin.Media puts it first), and hands every editor the page's nonce, which
// Django put on the import map's <script> (scripts read it from the `nonce` property).
import { Editor } from "django-prose-editor/editor";

const nonce = document.querySelector("script[nonce]")?.nonce;
const injectCSS = Editor.prototype.injectCSS;

Editor.prototype.injectCSS = function () {
  if (nonce && !this.options.injectNonce) this.options.injectNonce = nonce;
  return injectCSS.call(this);
};
