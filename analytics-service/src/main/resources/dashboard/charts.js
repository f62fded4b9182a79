// The dashboard's charts on Apache ECharts, the console's chart library (the same WebJar and version, loaded by
// index.html as window.echarts). A chart is two things: the ECharts drawing (SVG renderer, with ECharts' aria
// description for screen readers) and a visually hidden table of every value the chart holds, read back from the
// chart's own option, so a screen reader can walk the exact numbers and a test can read what was drawn.
(function () {
  'use strict';
  const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];
  const TEXT = '#374151', GRID = '#e5e7eb';
  const charts = new Set();
  window.addEventListener('resize', () => charts.forEach(c => c.resize()));

  /** Empties a chart's container, disposing of the chart drawn there before. */
  function reset(container) {
    const plot = container.querySelector('.plot');
    const old = plot && echarts.getInstanceByDom(plot);
    if (old) {
      charts.delete(old);
      old.dispose();
    }
    container.replaceChildren();
  }

  function noData(container, message) {
    reset(container);
    const p = document.createElement('p');
    p.className = 'no-data';
    p.textContent = message || 'No data for this range';
    container.append(p);
  }

  function element(name, text, attrs) {
    const node = document.createElement(name);
    if (text != null) node.textContent = text;
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    return node;
  }

  /** The chart's values as a table (in a visually hidden box): a row per category label, a column per series. */
  function table(title, category, option, format) {
    const axis = [...option.xAxis, ...option.yAxis].find(a => a.type === 'category');
    const t = element('table');
    t.append(element('caption', title));
    const head = element('tr');
    head.append(element('th', category, {scope: 'col'}),
      ...option.series.map(s => element('th', s.name, {scope: 'col'})));
    t.append(element('thead'), element('tbody'));
    t.tHead.append(head);
    axis.data.forEach((label, i) => {
      const row = element('tr', null, {'data-label': label});
      row.append(element('th', label, {scope: 'row'}), ...option.series.map(s => {
        const v = s.data[i];
        return element('td', v == null ? '–' : format(v), {'data-series': s.name, 'data-value': v == null ? '' : v});
      }));
      t.tBodies[0].append(row);
    });
    const box = element('div', null, {class: 'values'});
    box.append(t);
    return box;
  }

  /** `kind` is the series type; `option(plot)` builds the chart's option for the element it is drawn in. */
  function draw(container, kind, {title, category, format, height}, option) {
    reset(container);
    const plot = element('div', null, {class: 'plot', role: 'img', 'aria-label': title, 'data-chart': kind});
    if (height) plot.style.height = height + 'px';
    container.append(plot);
    option = option(plot);
    const chart = echarts.init(plot, null, {renderer: 'svg'});
    chart.setOption({
      // ECharts' own description of the data reads "the data for 2026-12-07 is 0, 30" (index, value): say what
      // the chart is and leave the numbers to the table
      aria: {enabled: true, label: {description: title + ', chart (the table that follows has every value)'}},
      animation: false,
      color: COLORS,
      textStyle: {color: TEXT},
      tooltip: {trigger: 'axis', valueFormatter: v => (v == null ? '–' : format(v))},
      ...option,
    });
    charts.add(chart);
    container.append(table(title, category, chart.getOption(), format));
  }

  function valueAxis(format) {
    return {type: 'value', axisLabel: {formatter: format, hideOverlap: true}, splitLine: {lineStyle: {color: GRID}}};
  }

  /** series: [{name, values: [number|null]}] over labels; one line per series. */
  function line(container, {title, labels, series, format, axisFormat, category}) {
    format = format || String;
    if (labels.length === 0 || !series.some(s => s.values.some(v => v != null))) return noData(container);
    const legend = series.length > 1;
    draw(container, 'line', {title, category: category || 'Day', format}, () => ({
      ...(legend ? {legend: {top: 0, type: 'scroll'}} : {}),
      // the last day's label is centred on the plot's right edge
      grid: {left: 16, right: 40, top: legend ? 36 : 16, bottom: 8, containLabel: true},
      xAxis: {type: 'category', data: labels, boundaryGap: labels.length === 1},
      yAxis: valueAxis(axisFormat || format),
      series: series.map(s => ({type: 'line', name: s.name, data: s.values, symbolSize: 5})),
    }));
  }

  /** One horizontal bar per label (long labels stay readable). */
  function bar(container, {title, labels, values, format, axisFormat, category}) {
    format = format || String;
    if (labels.length === 0) return noData(container);
    const height = Math.max(160, 60 + 28 * labels.length);
    draw(container, 'bar', {title, category: category || 'Item', format, height}, plot => ({
      grid: {left: 16, right: 32, top: 8, bottom: 8, containLabel: true},
      xAxis: valueAxis(axisFormat || format),
      // long labels are cut to at most 40 % of the width (the tooltip and the table have them whole)
      yAxis: {type: 'category', data: labels, inverse: true,
        axisLabel: {width: Math.min(200, plot.clientWidth * 0.4), overflow: 'truncate'}},
      series: [{type: 'bar', name: title, data: values, colorBy: 'data', barMaxWidth: 24}],
    }));
  }

  window.Charts = {line, bar, noData};
})();
