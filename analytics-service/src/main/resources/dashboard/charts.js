// Small dependency-free SVG charts. Every mark carries its data (data-label, data-value, a <title>), so the
// chart is readable by screen readers and checkable by tests.
(function () {
  'use strict';
  const NS = 'http://www.w3.org/2000/svg';
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  const W = 460, H = 240, M = {top: 16, right: 16, bottom: 44, left: 64};

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function svg(container, kind, title) {
    container.replaceChildren();
    const root = el('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title, 'data-chart': kind});
    container.appendChild(root);
    return root;
  }

  function noData(container, message) {
    const p = document.createElement('p');
    p.className = 'no-data';
    p.textContent = message || 'No data for this range';
    container.replaceChildren(p);
  }

  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function yAxis(root, max, format) {
    const g = el('g', {class: 'axis'}, root);
    for (let i = 0; i <= 4; i++) {
      const v = max * i / 4, y = M.top + (H - M.top - M.bottom) * (1 - i / 4);
      el('line', {x1: M.left, x2: W - M.right, y1: y, y2: y}, g);
      el('text', {x: M.left - 6, y: y + 4, 'text-anchor': 'end'}, g).textContent = format(v);
    }
  }

  function xLabels(root, labels, xOf) {
    const g = el('g', {class: 'axis'}, root);
    const step = Math.max(1, Math.ceil(labels.length / 6));
    labels.forEach((label, i) => {
      if (i % step !== 0 && i !== labels.length - 1) return;
      el('text', {x: xOf(i), y: H - M.bottom + 16, 'text-anchor': 'middle'}, g).textContent = label;
    });
  }

  function legend(root, names) {
    const g = el('g', {class: 'legend'}, root);
    const step = Math.min(110, (W - M.left) / names.length);
    names.forEach((name, i) => {
      const x = M.left + i * step;
      el('rect', {x, y: H - 16, width: 10, height: 10, fill: COLORS[i % COLORS.length]}, g);
      el('text', {x: x + 14, y: H - 7}, g).textContent = name;
    });
  }

  /** series: [{name, values: [number|null]}] over labels; one line per series. */
  function line(container, {title, labels, series, format}) {
    format = format || String;
    const all = series.flatMap(s => s.values).filter(v => v != null);
    if (labels.length === 0 || all.length === 0) return noData(container);
    const root = svg(container, 'line', title);
    const max = niceMax(Math.max(...all));
    const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;
    const xOf = i => M.left + (labels.length === 1 ? plotW / 2 : plotW * i / (labels.length - 1));
    const yOf = v => M.top + plotH * (1 - v / max);
    yAxis(root, max, format);
    xLabels(root, labels, xOf);
    series.forEach((s, si) => {
      const color = COLORS[si % COLORS.length];
      const g = el('g', {class: 'series', 'data-series': s.name}, root);
      const pts = s.values.map((v, i) => v == null ? null : [xOf(i), yOf(v)]).filter(Boolean);
      el('polyline', {points: pts.map(p => p.join(',')).join(' '), fill: 'none', stroke: color, 'stroke-width': 2}, g);
      s.values.forEach((v, i) => {
        if (v == null) return;
        const c = el('circle', {class: 'point', cx: xOf(i), cy: yOf(v), r: 3, fill: color,
          'data-label': labels[i], 'data-value': v}, g);
        el('title', {}, c).textContent = `${s.name} ${labels[i]}: ${format(v)}`;
      });
    });
    if (series.length > 1) legend(root, series.map(s => s.name));
  }

  /** One bar per label. */
  function bar(container, {title, labels, values, format}) {
    format = format || String;
    if (labels.length === 0) return noData(container);
    const root = svg(container, 'bar', title);
    const max = niceMax(Math.max(...values));
    const plotW = W - M.left - M.right, plotH = H - M.top - M.bottom;
    const slot = plotW / labels.length, bw = Math.max(2, slot * 0.7);
    const xOf = i => M.left + slot * i + slot / 2;
    yAxis(root, max, format);
    xLabels(root, labels, xOf);
    const g = el('g', {class: 'series', 'data-series': title}, root);
    values.forEach((v, i) => {
      const h = plotH * v / max;
      const r = el('rect', {class: 'bar', x: xOf(i) - bw / 2, y: M.top + plotH - h, width: bw, height: h,
        fill: COLORS[i % COLORS.length], 'data-label': labels[i], 'data-value': v}, g);
      el('title', {}, r).textContent = `${labels[i]}: ${format(v)}`;
    });
  }

  window.Charts = {line, bar, noData};
})();
