// The delegation tree of a task: which agent asked which, from its po_delegation_* events.

import { h, fill } from './dom.js';

/** Renders the tree (timeline.js buildThreads) into `container`. */
export function renderThreads(container, root) {
  if (!root) {
    fill(container, h('p.muted', {}, 'No events yet.'));
    return;
  }
  const node = n => h('li', { dataset: { thread: n.thread } },
    h('span.thread-agent', {}, n.agent), ' ',
    h(`span.pill.status-${n.status}`, {}, n.status),
    n.caller ? h('span.muted', {}, ` asked by ${n.caller}`) : null,
    h('span.muted.small', {}, ` ${n.thread}`),
    n.children.length ? h('ul', {}, n.children.map(node)) : null);
  fill(container, h('ul.thread-tree', {}, node(root)),
    root.children.length ? null : h('p.muted.small', {}, 'No delegations in this task.'));
}
