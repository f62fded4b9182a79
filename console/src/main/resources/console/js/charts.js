// Charts with Apache ECharts (loaded on first use), in the theme's colours, with ECharts' own aria description
// (a generated text summary of the data) for screen readers.

let echartsPromise = null;

function echarts() {
  echartsPromise ??= import('./lib/echarts.js');
  return echartsPromise;
}

function colours() {
  const style = getComputedStyle(document.documentElement);
  const v = name => style.getPropertyValue(name).trim();
  return {text: v('--text'), muted: v('--muted'), border: v('--border'), accent: v('--accent'), amber: v('--amber'), ok: v('--ok')};
}

function base(c) {
  return {
    aria: {enabled: true},
    animation: false,
    textStyle: {color: c.text},
    grid: {left: 64, right: 24, top: 32, bottom: 48},
    tooltip: {trigger: 'axis'},
  };
}

function categoryAxis(c, data) {
  return {type: 'category', data, axisLabel: {color: c.text}, axisLine: {lineStyle: {color: c.border}}};
}

function valueAxis(c, name) {
  return {type: 'value', name, nameTextStyle: {color: c.muted}, axisLabel: {color: c.text}, splitLine: {lineStyle: {color: c.border}}};
}

/** A new chart in `element` drawn with `option`. */
async function draw(element, option) {
  const lib = await echarts();
  const chart = lib.init(element, null, {renderer: 'svg'});
  chart.setOption(option);
  return chart;
}

/**
 * Keeps a page's charts (the array it fills as they are drawn) sized to the window; returns the page's clean-up,
 * which stops that and disposes of them.
 */
export function resizedWithWindow(charts) {
  const resize = () => charts.forEach(c => c.resize());
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    charts.forEach(c => c.dispose());
  };
}

/** A bar chart of `values` (tokens) by `labels`. */
export function drawBars(element, labels, values) {
  const c = colours();
  return draw(element, {
    ...base(c),
    xAxis: categoryAxis(c, labels),
    yAxis: valueAxis(c, 'tokens'),
    series: [{type: 'bar', name: 'tokens', data: values, itemStyle: {color: c.accent}}],
  });
}

/** Tokens (bars) and cost in USD (line, right axis) per day. */
export function drawDailyTrend(element, days) {
  const c = colours();
  return draw(element, {
    ...base(c),
    legend: {textStyle: {color: c.text}, top: 0},
    grid: {left: 64, right: 72, top: 40, bottom: 48},
    xAxis: categoryAxis(c, days.map(d => d.date)),
    yAxis: [valueAxis(c, 'tokens'), {...valueAxis(c, 'USD'), splitLine: {show: false}}],
    series: [
      {type: 'bar', name: 'Tokens', data: days.map(d => d.totalTokens), itemStyle: {color: c.accent}},
      // a chart axis needs a number: dollars from micro-USD for display only; amounts shown as text stay exact
      {type: 'line', name: 'Cost (USD)', yAxisIndex: 1, data: days.map(d => d.costMicroUsd / 1e6), itemStyle: {color: c.amber}},
    ],
  });
}

/** One line per series over `periods` (the operator's variant comparison); `unit` names the value axis. */
export function drawLines(element, periods, series, unit) {
  const c = colours();
  return draw(element, {
    ...base(c),
    legend: {textStyle: {color: c.text}, top: 0},
    grid: {left: 64, right: 24, top: 40, bottom: 48},
    xAxis: categoryAxis(c, periods),
    yAxis: valueAxis(c, unit),
    series: series.map(s => ({type: 'line', name: s.name, data: s.values, connectNulls: true})),
  });
}
