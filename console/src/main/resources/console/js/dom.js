// Building DOM without innerHTML: text always goes in as text. The only HTML the console inserts is sanitised
// Markdown (markdown.js).

/**
 * h('button', {class: 'primary', onclick: fn, 'aria-label': 'Send'}, 'Send') -> HTMLButtonElement.
 * Attributes: `class`, `dataset` (object), `on<event>` (listener), booleans (true sets, false omits), others as is.
 * Children: strings (text), nodes, arrays, null/undefined/false (skipped).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name === 'value' && 'value' in el) {
      el.value = value;
    } else if (name === 'checked' || name === 'selected') {
      el[name] = Boolean(value);
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replaces every child of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

let ids = 0;
/** A document-unique id for label/aria wiring. */
export function uid(prefix = 'id') {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled form field: label + control (+ optional hint), wired with for/id and aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || uid('field');
  control.id = id;
  const parts = [h('label', {for: id}, label), control];
  if (hint) {
    const hintId = `${id}-hint`;
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('p', {class: 'hint', id: hintId}, hint));
  }
  return h('div', {class: 'field'}, parts);
}

/** A polite status line for screen readers and sighted users alike. */
export function statusLine(cls = 'status') {
  return h('p', {class: cls, role: 'status', 'aria-live': 'polite'});
}
