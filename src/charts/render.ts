import { createHash } from 'node:crypto';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { ChartConfiguration, Plugin } from 'chart.js';
import { chartAltText, chartTitle, monthWords, type ChartData, type ChartKind, type OverdueOverTime, type StatusCounts, type StatusOverTime, type ThemeProgress } from '../domain/charts';
import { RAG_OF_STATUS, type Status, STATUS_LABEL, STATUSES } from '../domain/statuses';
import { dayjs, localDate, monthIndex } from '../domain/time';

/** A chart drawn: what the digest uploads, /chart posts, the console writes and the report inlines. */
export interface RenderedChart {
  kind: ChartKind;
  title: string;
  /** States the chart's numbers: Slack's alt text, the report's alt. */
  altText: string;
  png: Buffer;
  width: number;
  height: number;
}

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 675;
const FONT = 'Atkinson Hyperlegible';
const INK = '#0b0c0c';
const GRID = '#d8d8d8';

type Libraries = { canvas: typeof import('@napi-rs/canvas'); chartjs: typeof import('chart.js') };
let libraries: Libraries | null = null;

/**
 * Chart.js, the canvas and the font, loaded at the first chart: the bot starts without them
 * (about 0.6 s), as most runs draw nothing at start. The font is a dependency loaded by path, so
 * text renders the same on a bare machine and in the Docker image, whatever fonts it has (or lacks).
 */
function load(): Libraries {
  if (libraries) return libraries;
  const canvas = require('@napi-rs/canvas') as Libraries['canvas'];
  const chartjs = require('chart.js') as Libraries['chartjs'];
  for (const weight of ['400', '700']) {
    const file = require.resolve(`@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-${weight}-normal.woff2`);
    if (!canvas.GlobalFonts.registerFromPath(file, FONT)) throw new Error(`could not load the chart font ${file}`);
  }
  chartjs.Chart.register(...chartjs.registerables);
  chartjs.Chart.defaults.font.family = FONT;
  chartjs.Chart.defaults.font.size = 17;
  chartjs.Chart.defaults.color = INK;
  libraries = { canvas, chartjs };
  return libraries;
}

/**
 * Okabe and Ito's palette, which reads for the common colour-blindnesses, in the RAG sense the
 * statuses have (BRAG: done is blue); patterns tell the red and amber ones apart without colour.
 */
const STATUS_STYLE: Record<Status, { colour: string; pattern: 'none' | 'stripes' | 'cross' | 'dots' }> = {
  'not-started': { colour: '#c4c4c4', pattern: 'none' },
  'on-track': { colour: '#009e73', pattern: 'none' },
  'at-risk': { colour: '#e69f00', pattern: 'stripes' },
  'off-track': { colour: '#d55e00', pattern: 'cross' },
  blocked: { colour: '#cc79a7', pattern: 'dots' },
  done: { colour: '#0072b2', pattern: 'none' },
};

function fillOf(ctx: SKRSContext2D, status: Status): string | object {
  const { colour, pattern } = STATUS_STYLE[status];
  if (pattern === 'none') return colour;
  const size = 14;
  const tile = load().canvas.createCanvas(size, size);
  const t = tile.getContext('2d');
  t.fillStyle = colour;
  t.fillRect(0, 0, size, size);
  t.strokeStyle = 'rgba(255,255,255,0.85)';
  t.fillStyle = 'rgba(255,255,255,0.85)';
  t.lineWidth = 3;
  if (pattern === 'dots') {
    t.beginPath();
    t.arc(size / 2, size / 2, 2.6, 0, Math.PI * 2);
    t.fill();
  } else {
    t.beginPath();
    for (const offset of [-size, 0, size]) {
      t.moveTo(offset, size);
      t.lineTo(offset + size, 0);
      if (pattern === 'cross') {
        t.moveTo(offset, 0);
        t.lineTo(offset + size, size);
      }
    }
    t.stroke();
  }
  return ctx.createPattern(tile, 'repeat') as object;
}

function legendWords(status: Status): string {
  const rag = RAG_OF_STATUS[status];
  return rag ? `${STATUS_LABEL[status]} (${status === 'done' ? 'blue' : rag})` : STATUS_LABEL[status];
}

/** Charts on a white page (Chart.js leaves the canvas transparent). */
const whitePage: Plugin = {
  id: 'whitePage',
  beforeDraw(chart) {
    const ctx = chart.ctx as unknown as SKRSContext2D;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

function haloText(ctx: SKRSContext2D, text: string, x: number, y: number): void {
  ctx.save();
  ctx.setLineDash([]);
  ctx.lineWidth = 4;
  ctx.strokeStyle = '#ffffff';
  ctx.lineJoin = 'round';
  ctx.strokeText(text, x, y);
  ctx.fillStyle = INK;
  ctx.fillText(text, x, y);
  ctx.restore();
}

/** Writes each segment's count inside it, where it fits: the numbers read without the colours. */
const segmentCounts: Plugin = {
  id: 'segmentCounts',
  afterDatasetsDraw(chart) {
    const ctx = chart.ctx as unknown as SKRSContext2D;
    const horizontal = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.font = `700 15px "${FONT}"`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    chart.data.datasets.forEach((dataset, index) => {
      const meta = chart.getDatasetMeta(index);
      if (meta.hidden) return;
      meta.data.forEach((element, at) => {
        const value = Number(dataset.data[at]);
        if (!value) return;
        const bar = element as unknown as { x: number; y: number; base: number; width: number; height: number };
        const length = Math.abs(bar.x - bar.base);
        const thickness = horizontal ? bar.height : bar.width;
        const along = horizontal ? length : Math.abs(bar.y - bar.base);
        const text = String(value);
        // Bars too thin for a three-digit count go unlabelled, all of them, rather than some.
        const across = horizontal ? 18 : ctx.measureText('888').width + 8;
        if (thickness < across || along < (horizontal ? ctx.measureText(text).width + 8 : 18)) return;
        const x = horizontal ? (bar.x + bar.base) / 2 : bar.x;
        const y = horizontal ? bar.y : (bar.y + bar.base) / 2;
        haloText(ctx, text, x, y);
      });
    });
    ctx.restore();
  },
};

function titleOptions(text: string) {
  return { display: true, text, align: 'start' as const, font: { size: 26, weight: 'bold' as const }, padding: { top: 4, bottom: 12 } };
}

function statusDatasets(ctx: SKRSContext2D, rows: readonly StatusCounts[]) {
  return STATUSES.map((status) => ({
    label: legendWords(status),
    data: rows.map((counts) => counts[status]),
    backgroundColor: fillOf(ctx, status),
    borderColor: '#ffffff',
    borderWidth: 1,
  }));
}

const legend = { position: 'bottom' as const, labels: { boxWidth: 28, boxHeight: 18, padding: 18, font: { size: 17 } } };

function statusConfig(ctx: SKRSContext2D, data: StatusOverTime, title: string): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: data.months.map((m) => monthWords(m.month)), datasets: statusDatasets(ctx, data.months.map((m) => m.counts)) },
    options: {
      plugins: { title: titleOptions(title), legend },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { stacked: true, beginAtZero: true, title: { display: true, text: 'items' }, grid: { color: GRID }, ticks: { precision: 0 } },
      },
    },
  };
}

function themesConfig(ctx: SKRSContext2D, data: ThemeProgress, title: string): ChartConfiguration<'bar'> {
  return {
    type: 'bar',
    data: { labels: data.themes.map((theme) => theme.label), datasets: statusDatasets(ctx, data.themes.map((theme) => theme.counts)) },
    options: {
      indexAxis: 'y',
      plugins: { title: titleOptions(title), legend },
      scales: {
        x: { stacked: true, beginAtZero: true, title: { display: true, text: 'items' }, grid: { color: GRID }, ticks: { precision: 0 } },
        y: { stacked: true, grid: { display: false }, ticks: { autoSkip: false, font: { size: 15 } } },
      },
    },
  };
}

/** Meetings as dashed upright lines where they fall within their month, each with its date. */
function meetingLines(data: OverdueOverTime): Plugin {
  const first = data.months[0] ? monthIndex(data.months[0].month) : 0;
  return {
    id: 'meetingLines',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      const ctx = chart.ctx as unknown as SKRSContext2D;
      ctx.save();
      ctx.strokeStyle = '#4c2c92';
      ctx.fillStyle = '#4c2c92';
      ctx.setLineDash([6, 5]);
      ctx.lineWidth = 2;
      ctx.font = `15px "${FONT}"`;
      ctx.textAlign = 'center';
      let lastLabelX = -Infinity;
      for (const date of data.meetings) {
        const day = dayjs(date);
        // A month's point is its end: a meeting sits between the previous month's point and its own.
        const position = monthIndex(date.slice(0, 7)) - first - 1 + day.date() / day.daysInMonth();
        const px = x.getPixelForValue(Math.max(0, position));
        ctx.beginPath();
        ctx.moveTo(px, area.top + 22);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        if (px - lastLabelX > 70) {
          haloText(ctx, day.format('D MMM'), px, area.top + 14);
          lastLabelX = px;
        }
      }
      ctx.restore();
    },
  };
}

/** The latest count written beside its point. */
const lastValue: Plugin = {
  id: 'lastValue',
  afterDatasetsDraw(chart) {
    const meta = chart.getDatasetMeta(0);
    const point = meta.data.at(-1) as unknown as { x: number; y: number } | undefined;
    const value = chart.data.datasets[0]?.data.at(-1);
    if (!point || value === undefined) return;
    const ctx = chart.ctx as unknown as SKRSContext2D;
    ctx.save();
    ctx.font = `700 18px "${FONT}"`;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'bottom';
    haloText(ctx, String(value), point.x - 6, point.y - 8);
    ctx.restore();
  },
};

function overdueConfig(data: OverdueOverTime, title: string): ChartConfiguration<'line'> {
  return {
    type: 'line',
    data: {
      labels: data.months.map((m) => monthWords(m.month)),
      datasets: [
        { label: 'Overdue deadlines at the end of each month', data: data.months.map((m) => m.overdue), borderColor: '#d55e00', backgroundColor: '#d55e00', borderWidth: 3, pointRadius: 4, tension: 0 },
        // Drawn by meetingLines; here for its legend entry.
        { label: 'Taskforce meeting (dashed)', data: [], borderColor: '#4c2c92', backgroundColor: '#ffffff', borderDash: [6, 5], borderWidth: 2 },
      ],
    },
    options: {
      plugins: { title: titleOptions(title), legend: { ...legend, labels: { ...legend.labels, boxHeight: 3 } } },
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 16 } },
        y: { beginAtZero: true, title: { display: true, text: 'deadlines overdue' }, grid: { color: GRID }, ticks: { precision: 0 } },
      },
    },
  };
}

/** The last charts drawn, by what they show: the same numbers on the same day are drawn once (Home, /chart asked again, a report). */
const drawn = new Map<string, RenderedChart>();
const DRAWN_KEPT = 16;

/** Draws a chart to PNG: Chart.js on a Skia canvas, with no browser and no system fonts. */
export function renderChart(data: ChartData, timeZone: string): RenderedChart {
  // What a chart shows depends on its numbers and the day it is as of (its title), not the instant.
  const key = createHash('sha256').update(JSON.stringify({ ...data, asOf: localDate(new Date(data.asOf), timeZone) })).digest('hex');
  const known = drawn.get(key);
  if (known) return known;
  const chart = draw(data, timeZone);
  drawn.set(key, chart);
  if (drawn.size > DRAWN_KEPT) drawn.delete(drawn.keys().next().value!);
  return chart;
}

function draw(data: ChartData, timeZone: string): RenderedChart {
  const { canvas: skia, chartjs } = load();
  const title = chartTitle(data, timeZone);
  const canvas: Canvas = skia.createCanvas(CHART_WIDTH, CHART_HEIGHT);
  const ctx = canvas.getContext('2d');
  const base = { responsive: false, animation: false as const, devicePixelRatio: 1, events: [], layout: { padding: 20 } };
  let config: ChartConfiguration<'bar'> | ChartConfiguration<'line'>;
  const plugins: Plugin[] = [whitePage];
  switch (data.kind) {
    case 'status':
      config = statusConfig(ctx, data, title);
      plugins.push(segmentCounts);
      break;
    case 'themes':
      config = themesConfig(ctx, data, title);
      plugins.push(segmentCounts);
      break;
    case 'overdue':
      config = overdueConfig(data, title);
      plugins.push(meetingLines(data), lastValue);
      break;
  }
  config.options = { ...base, ...config.options } as typeof config.options;
  config.plugins = plugins as never;
  // Chart.js takes any 2D context; Skia's is one without the DOM's types.
  const chart = new chartjs.Chart(ctx as never, config as ChartConfiguration);
  try {
    return { kind: data.kind, title, altText: chartAltText(data, timeZone), png: canvas.toBuffer('image/png'), width: CHART_WIDTH, height: CHART_HEIGHT };
  } finally {
    chart.destroy();
  }
}
