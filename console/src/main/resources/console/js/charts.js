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

/** A bar chart of `values` (tokens) by `labels`. */
export async function drawBars(element, labels, values) {
  const lib = await echarts();
  const c = colours();
  const chart = lib.init(element, null, {renderer: 'svg'});
  chart.setOption({
    ...base(c),
    xAxis: {type: 'category', data: labels, axisLabel: {color: c.text}, axisLine: {lineStyle: {color: c.border}}},
    yAxis: {type: 'value', name: 'tokens', nameTextStyle: {color: c.muted}, axisLabel: {color: c.text}, splitLine: {lineStyle: {color: c.border}}},
    series: [{type: 'bar', name: 'tokens', data: values, itemStyle: {color: c.accent}}],
  });
  return chart;
}

/** Tokens (bars) and cost in USD (line, right axis) per day. */
export async function drawDailyTrend(element, days) {
  const lib = await echarts();
  const c = colours();
  const chart = lib.init(element, null, {renderer: 'svg'});
  chart.setOption({
    ...base(c),
    legend: {textStyle: {color: c.text}, top: 0},
    grid: {left: 64, right: 72, top: 40, bottom: 48},
    xAxis: {type: 'category', data: days.map(d => d.date), axisLabel: {color: c.text}, axisLine: {lineStyle: {color: c.border}}},
    yAxis: [
      {type: 'value', name: 'tokens', nameTextStyle: {color: c.muted}, axisLabel: {color: c.text}, splitLine: {lineStyle: {color: c.border}}},
      {type: 'value', name: 'USD', nameTextStyle: {color: c.muted}, axisLabel: {color: c.text}, splitLine: {show: false}},
    ],
    series: [
      {type: 'bar', name: 'Tokens', data: days.map(d => d.totalTokens), itemStyle: {color: c.accent}},
      // a chart axis needs a number: dollars from micro-USD for display only; amounts shown as text stay exact
      {type: 'line', name: 'Cost (USD)', yAxisIndex: 1, data: days.map(d => d.costMicroUsd / 1e6), itemStyle: {color: c.amber}},
    ],
  });
  return chart;
}

/** One line per series over `periods` (the operator's variant comparison); `unit` names the value axis. */
export async function drawLines(element, periods, series, unit) {
  const lib = await echarts();
  const c = colours();
  const chart = lib.init(element, null, {renderer: 'svg'});
  chart.setOption({
    ...base(c),
    legend: {textStyle: {color: c.text}, top: 0},
    grid: {left: 64, right: 24, top: 40, bottom: 48},
    xAxis: {type: 'category', data: periods, axisLabel: {color: c.text}, axisLine: {lineStyle: {color: c.border}}},
    yAxis: {type: 'value', name: unit, nameTextStyle: {color: c.muted}, axisLabel: {color: c.text}, splitLine: {lineStyle: {color: c.border}}},
    series: series.map(s => ({type: 'line', name: s.name, data: s.values, connectNulls: true})),
  });
  return chart;
}
