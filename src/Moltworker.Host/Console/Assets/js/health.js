// Plugins and health: /healthz (each contributor's entry, the loaded and failed plugins) and /readyz.

import { probe } from './api.js';
import { h, fill } from './dom.js';

export class HealthPage {
  #container;

  constructor(container) { this.#container = container; }

  async open() {
    const [health, ready] = await Promise.all([probe('/healthz'), probe('/readyz')]);
    const body = health.body ?? {};
    const plugins = body.plugins ?? {};
    const rest = Object.entries(body).filter(([k]) => !['status', 'plugins', 'hints', 'loading'].includes(k));
    fill(this.#container,
      h('section.card', {}, h('h2', {}, 'Health'),
        h('p', {}, 'Health: ', h(`span.pill.status-${body.status}`, { dataset: { health: body.status ?? '' } }, body.status ?? `HTTP ${health.status}`),
          ' · readiness: ', h(`span.pill.status-${ready.body?.status}`, { dataset: { ready: ready.body?.status ?? '' } }, ready.body?.status ?? `HTTP ${ready.status}`)),
        (body.hints ?? []).map(hint => h('p.hint', {}, hint)),
        body.loading ? h('p.muted', {}, `Still loading: ${JSON.stringify(body.loading)}`) : null),
      h('section.card', {}, h('h2', {}, 'Plugins'),
        h('table.plugins', {}, h('thead', {}, h('tr', {}, ['Plugin', 'Version', 'Origin', 'State'].map(c => h('th', {}, c)))),
          h('tbody', {},
            (plugins.loaded ?? []).map(p => h('tr', { dataset: { plugin: p.name } }, h('td', {}, p.name), h('td', {}, p.version ?? ''), h('td', {}, p.origin ?? ''), h('td', {}, h('span.pill.status-ok', {}, 'loaded')))),
            (plugins.failed ?? []).map(p => h('tr', { dataset: { plugin: p.name } }, h('td', {}, p.name), h('td', {}, ''), h('td', {}, p.origin ?? ''), h('td.error', {}, p.error ?? 'failed')))))),
      h('section.card', {}, h('h2', {}, 'Components'),
        h('dl.health-entries', {}, rest.map(([name, value]) => [h('dt', {}, name), h('dd', {}, h('pre', {}, JSON.stringify(value, null, 2)))]))));
  }

  close() {}
}
