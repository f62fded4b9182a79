// Answers are Markdown from a model: rendered with marked, then sanitised with DOMPurify before they touch the
// page (a model can be made to write <script> or onerror=...), code blocks highlighted with highlight.js.

import {Marked} from './lib/marked.js';
import DOMPurify from './lib/dompurify.js';
import {HIGHLIGHT_JS} from './lib/highlight.js';

const marked = new Marked({gfm: true, breaks: false});

DOMPurify.addHook('afterSanitizeAttributes', node => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

const PURIFY = {USE_PROFILES: {html: true}, FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select'],
  FORBID_ATTR: ['style']};

/** Renders `text` as sanitised Markdown into `element` (its previous content replaced). */
export function renderMarkdown(element, text) {
  // sanitised into an inert document, so nothing in it loads before it is in its final shape
  const fragment = DOMPurify.sanitize(marked.parse(text), {...PURIFY, RETURN_DOM_FRAGMENT: true});
  for (const img of fragment.querySelectorAll('img')) img.replaceWith(imageLink(img));
  element.replaceChildren(fragment);
}

/**
 * An image in an answer becomes a link to it, never loaded: a model (or a prompt injected into what it read) could
 * otherwise send anything on the page to any address in an image URL, just by being shown.
 */
function imageLink(img) {
  const src = img.getAttribute('src') || '';
  const label = `[image${img.getAttribute('alt') ? `: ${img.getAttribute('alt')}` : ''}]`;
  if (!/^https?:\/\//i.test(src)) return document.createTextNode(label);
  const link = document.createElement('a');
  link.href = src;
  link.target = '_blank';
  link.rel = 'noopener noreferrer nofollow';
  link.textContent = label;
  return link;
}

/**
 * Highlights the code blocks of `element` (once the answer is complete: highlighting each token would be wasted).
 * highlight.js (125 kB) is loaded by the first answer that has code, not by every page load: the chat page becomes
 * usable without it, and the colours follow a moment after the code.
 */
export function highlight(element) {
  const blocks = [...element.querySelectorAll('pre code')].filter(code => !code.dataset.highlighted);
  if (blocks.length === 0) return;
  highlighter().then(hljs => {
    for (const code of blocks) {
      if (code.isConnected && !code.dataset.highlighted) hljs.highlightElement(code);
    }
  }, () => {}); // without highlight.js the code stays readable, just plain
}

let loading = null;

function highlighter() {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = HIGHLIGHT_JS;
    script.onload = () => resolve(window.hljs);
    script.onerror = () => {
      loading = null;
      script.remove();
      reject(new Error('highlight.js did not load'));
    };
    document.head.append(script);
  });
  return loading;
}
