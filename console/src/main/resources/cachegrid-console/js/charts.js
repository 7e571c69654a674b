// The five live charts, drawn with uPlot (loaded from our own jar at /webjars/uplot/…, global `uPlot`).
// Colours come from the CSS custom properties, so the charts follow the light/dark theme; on a theme switch
// they are rebuilt. Each chart card carries an overlay that says why it has nothing to show — never a silent blank.

import { StatsHistory, WINDOW_SECONDS } from './series.js';
import * as fmt from './format.js';

const HEIGHT = 170;

const pct = (v) => (v === null || v === undefined ? '—' : (v * 100).toFixed(1) + ' %');
const withUnit = (f, unit) => (v) => (v === null || v === undefined ? '—' : f(v) + unit);

/** Chart definitions: which history columns each one shows and how. Colour names refer to CSS variables. */
const DEFS = [
  {
    id: 'hit-ratio', title: 'Hit ratio',
    series: [
      { col: 'hitRatio', label: 'since start', color: '--c-green', fmt: pct, fill: true },
      { col: 'intervalHitRatio', label: 'this second', color: '--c-blue', fmt: pct, width: 1 },
    ],
    yRange: () => [0, 1],
    yFmt: (v) => Math.round(v * 100) + '%',
  },
  {
    id: 'ops', title: 'Operations / s',
    series: [
      { col: 'gets', label: 'gets', color: '--c-blue', fmt: withUnit(fmt.rate, '/s') },
      { col: 'sets', label: 'sets', color: '--c-green', fmt: withUnit(fmt.rate, '/s') },
      { col: 'deletes', label: 'deletes', color: '--c-orange', fmt: withUnit(fmt.rate, '/s') },
    ],
    yRange: zeroBased,
    yFmt: compact,
  },
  {
    id: 'entries', title: 'Entries',
    series: [
      { col: 'size', label: 'entries', color: '--c-blue', fmt: fmt.int, fill: true },
      { col: 'maxSize', label: 'max_size', color: '--c-red', fmt: fmt.int, dash: [6, 4], width: 1.5 },
    ],
    yRange: zeroBased,
    yFmt: compact,
  },
  {
    id: 'memory', title: 'Memory',
    series: [
      { col: 'memoryMb', label: 'used', color: '--c-purple', fmt: fmt.mb, fill: true },
      { col: 'maxMemoryMb', label: 'limit', color: '--c-red', fmt: fmt.mb, dash: [6, 4], width: 1.5 },
    ],
    yRange: zeroBased,
    yFmt: (v) => compact(v) + ' MB',
  },
  {
    id: 'evictions', title: 'Evictions & expirations / s',
    series: [
      { col: 'evictions', label: 'evictions', color: '--c-orange', fmt: withUnit(fmt.rate, '/s') },
      { col: 'expirations', label: 'expirations', color: '--c-purple', fmt: withUnit(fmt.rate, '/s') },
    ],
    yRange: zeroBased,
    yFmt: compact,
  },
];

function zeroBased(u, min, max) {
  const top = max > 0 ? max * 1.15 : 1;
  return [0, top];
}

function compact(v) {
  const a = Math.abs(v);
  if (a >= 1e6) return +(v / 1e6).toFixed(1) + 'M';
  if (a >= 1e3) return +(v / 1e3).toFixed(1) + 'k';
  return +v.toFixed(2) + '';
}

const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

export class Charts {
  constructor(container) {
    this.container = container;
    this.history = new StatsHistory();
    this.cards = DEFS.map((def) => this.card(def));
    this.state = 'waiting'; // 'waiting' | 'live' | 'unreachable'
    this.build();
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => this.build());
    new ResizeObserver(() => this.resize()).observe(container);
  }

  card(def) {
    const node = document.createElement('section');
    node.className = 'card chart-card';
    node.id = 'chart-' + def.id;
    node.innerHTML = '<h3></h3><div class="plot"></div><div class="overlay" role="status"></div>';
    node.querySelector('h3').textContent = def.title;
    this.container.append(node);
    return { def, node, plotEl: node.querySelector('.plot'), overlay: node.querySelector('.overlay'), plot: null };
  }

  /** (Re)creates every uPlot instance with the current theme's colours. */
  build() {
    const axis = { stroke: cssVar('--fg-muted'), grid: { stroke: cssVar('--grid'), width: 1 },
      ticks: { stroke: cssVar('--grid'), width: 1 }, font: '11px system-ui, sans-serif' };
    for (const c of this.cards) {
      c.plot?.destroy();
      const series = [{ label: 'time', value: (u, v) => (v === null ? '—' : fmt.clock(v)) }];
      for (const s of c.def.series) {
        const color = cssVar(s.color);
        series.push({
          label: s.label, stroke: color, width: s.width ?? 2, dash: s.dash,
          fill: s.fill ? color + '22' : undefined,
          value: (u, v) => s.fmt(v), spanGaps: false, points: { size: 4 },
        });
      }
      c.plot = new uPlot({
        width: this.widthOf(c), height: HEIGHT,
        series,
        scales: {
          x: { time: true, range: xRange },
          y: { range: c.def.yRange },
        },
        axes: [
          { ...axis, space: 70, values: (u, vals) => vals.map(hhmmss) },
          { ...axis, size: 56, values: (u, vals) => vals.map(c.def.yFmt) },
        ],
        cursor: { drag: { x: false, y: false } },
        legend: { live: true },
      }, this.data(c), c.plotEl);
    }
    this.paintOverlays();
  }

  widthOf(c) { return Math.max(200, Math.floor(c.plotEl.clientWidth || c.node.clientWidth - 24)); }

  resize() {
    for (const c of this.cards) {
      const w = this.widthOf(c);
      if (c.plot && Math.abs(c.plot.width - w) > 1) c.plot.setSize({ width: w, height: HEIGHT });
    }
  }

  data(c) {
    const data = this.history.data(c.def.series.map((s) => s.col));
    if (data[0].length === 0) return [[nowSec()], ...c.def.series.map(() => [null])];
    return data;
  }

  /** One /stats answer arrived. */
  sample(t, stats) {
    const row = this.history.add(t, stats);
    this.state = 'live';
    this.redraw();
    return row;
  }

  /** A poll failed: break the lines and say so over every chart. */
  gap(t) {
    this.history.addGap(t);
    this.state = 'unreachable';
    this.redraw();
  }

  redraw() {
    for (const c of this.cards) {
      if (!c.plot) continue;
      c.plot.setData(this.data(c));
      // Unless the pointer is over the chart, the legend shows the newest values rather than dashes.
      if (c.plot.cursor.left < 0) c.plot.setLegend({ idx: c.plot.data[0].length - 1 });
    }
    this.paintOverlays();
  }

  paintOverlays() {
    for (const c of this.cards) {
      let text = '';
      if (this.state === 'unreachable') text = 'No data: the server is unreachable';
      else if (this.state === 'waiting') text = 'Waiting for the first sample…';
      else if (!c.def.series.some((s) => this.history.cols[s.col].some((v) => v !== null))) {
        text = 'Collecting: rates need two samples…';
      }
      c.overlay.textContent = text;
      c.overlay.hidden = !text;
      c.node.classList.toggle('is-stale', this.state === 'unreachable');
    }
  }
}

const nowSec = () => Date.now() / 1000;

/** The x window grows with the data from one minute up to WINDOW_SECONDS, newest sample at the right edge. */
const MIN_WINDOW_SECONDS = 60;
function xRange(u, min, max) {
  const span = Math.min(WINDOW_SECONDS, Math.max(MIN_WINDOW_SECONDS, max - min));
  return [max - span, max];
}

const hhmmss = (t) => new Date(t * 1000).toLocaleTimeString('en-GB', { hour12: false });
