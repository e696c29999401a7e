// Draws a timeline (timeline.js) as a waterfall: one row per bar, bars placed on a shared time axis, so bars that
// overlap in time overlap on screen (parallel calls). Clicking a bar shows the events behind it.

import { h, fill, duration } from './dom.js';

/** Renders `timeline` into `container`; open bars reach `now` (ms on the host's clock). */
export function renderWaterfall(container, timeline, { now = null, selected = null, onSelect = () => {} } = {}) {
  const { t0, bars } = timeline;
  if (t0 === null || bars.length === 0) {
    fill(container, h('p.muted.wf-empty', {}, 'No events yet.'));
    return;
  }
  const endOf = bar => bar.end ?? Math.max(now ?? timeline.t1, timeline.t1);
  const last = Math.max(...bars.map(endOf));
  const span = Math.max(last - t0, 1);
  const x = ms => `${((ms - t0) / span) * 100}%`;

  const rows = bars.map(bar => {
    const end = endOf(bar);
    const text = bar.kind === 'batch' && bar.end === null ? `${bar.label} · ${bar.done}/${bar.n} done` : bar.label;
    const barEl = h(`div.wf-bar.kind-${bar.kind}.status-${bar.status}`, {
      dataset: { kind: bar.kind, key: bar.key, start: (bar.start - t0).toFixed(3), end: (end - t0).toFixed(3), open: String(bar.end === null) },
      style: { left: x(bar.start), width: `max(2px, ${((end - bar.start) / span) * 100}%)` },
      title: `${text}: ${duration(end - bar.start)}`,
      tabIndex: 0,
      onclick: () => onSelect(bar),
      onkeydown: ev => { if (ev.key === 'Enter') onSelect(bar); },
    });
    if (bar.key === selected) barEl.classList.add('selected');
    return h(`div.wf-row.kind-${bar.kind}`, { dataset: { kind: bar.kind } },
      h('div.wf-label', { style: { paddingLeft: `${bar.depth * 0.8}rem` }, title: text }, text),
      h('div.wf-track', {}, barEl),
      h('div.wf-time', {}, bar.end === null ? '…' : duration(end - bar.start)));
  });
  fill(container, h('div.wf-axis-row', {}, h('div.wf-label'), axis(span), h('div.wf-time')), ...rows);
}

function axis(span) {
  const raw = span / 6;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map(f => f * power).find(s => s >= raw) ?? raw;
  const ticks = [];
  for (let t = 0; t <= span + 1e-9; t += step) ticks.push(h('span.wf-tick', { style: { left: `${(t / span) * 100}%` } }, duration(t)));
  return h('div.wf-axis', {}, ticks);
}

/** The detail of a clicked bar: what it is, how long it took, and the events behind it as the host sent them. */
export function renderBarDetail(container, bar) {
  if (!bar) {
    fill(container, h('p.muted', {}, 'Click a bar to see its details.'));
    return;
  }
  const took = bar.end === null ? 'still running' : duration(bar.end - bar.start);
  fill(container,
    h('h3', {}, bar.label),
    h('p', {}, `${bar.kind} · ${bar.status} · ${took}`),
    bar.events.map(e => h('div.detail-event', {},
      h('div.muted', {}, `#${e.id} ${e.event} at ${e.at}`),
      h('pre', {}, JSON.stringify(e.data ?? {}, null, 2)))),
    h('p.muted.small', {}, 'Tool events carry the tool, status and latency; arguments appear on approval requests (secrets redacted by the host).'));
}
