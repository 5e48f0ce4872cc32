// A small time-series chart on a <canvas>, drawn without libraries.
import { h } from '../dom.js';

const WINDOW_MS = 5 * 60 * 1000;
const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea'];

/**
 * A line chart of the given series over the last five minutes. `add(time, values)` appends one sample
 * (values in series order) and redraws. The figure's caption states the latest values as text.
 */
export function createChart({ title, series }) {
  const samples = [];
  const canvas = h('canvas', { class: 'chart', role: 'img', 'aria-label': title, height: 180 });
  const caption = h('figcaption', { class: 'legend' });
  const element = h('figure', { class: 'card chart-card' }, h('h2', {}, title), canvas, caption);
  new ResizeObserver(() => draw()).observe(canvas);

  function add(time, values) {
    samples.push({ time, values });
    while (samples.length && samples[0].time < time - WINDOW_MS) samples.shift();
    caption.replaceChildren(...series.map((name, i) => h('span', { class: 'legend-item' },
      h('span', { class: 'swatch', style: `background:${COLORS[i]}` }), `${name}: ${values[i] ?? '–'}`)));
    draw();
  }

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (!width || !height) return;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const g = canvas.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, width, height);
    const pad = { left: 44, right: 10, top: 10, bottom: 22 };
    const plotW = width - pad.left - pad.right;
    const plotH = height - pad.top - pad.bottom;
    const now = samples.length ? samples[samples.length - 1].time : Date.now();
    const max = niceMax(Math.max(4, ...samples.flatMap((s) => s.values.filter((v) => v != null))));
    const x = (t) => pad.left + plotW * (1 - (now - t) / WINDOW_MS);
    const y = (v) => pad.top + plotH * (1 - v / max);

    g.font = '11px system-ui, sans-serif';
    g.fillStyle = '#6b7280';
    g.strokeStyle = '#e5e7eb';
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = (max / 4) * i;
      g.beginPath();
      g.moveTo(pad.left, Math.round(y(v)) + 0.5);
      g.lineTo(width - pad.right, Math.round(y(v)) + 0.5);
      g.stroke();
      g.textAlign = 'right';
      g.fillText(formatTick(v), pad.left - 6, y(v) + 4);
    }
    g.textAlign = 'left';
    g.fillText('5 min ago', pad.left, height - 6);
    g.textAlign = 'right';
    g.fillText('now', width - pad.right, height - 6);

    series.forEach((_, i) => {
      g.strokeStyle = COLORS[i];
      g.lineWidth = 2;
      g.beginPath();
      let started = false;
      for (const s of samples) {
        const v = s.values[i];
        if (v == null) continue;
        if (started) g.lineTo(x(s.time), y(v)); else g.moveTo(x(s.time), y(v));
        started = true;
      }
      g.stroke();
    });
  }

  return { element, add };
}

function niceMax(value) {
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude;
  }
  return 10 * magnitude;
}

function formatTick(v) {
  return v >= 1000 ? (v / 1000).toFixed(v % 1000 ? 1 : 0) + 'k' : String(Math.round(v * 10) / 10);
}
