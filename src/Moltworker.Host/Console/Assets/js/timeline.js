// A task's events turned into the bars of its waterfall: phases, model calls, batches, tool calls, delegations and
// approvals, each with a start and an end on the host's clock. Pure: the same events give the same bars.

/** An event's `at` ("2026-12-03T09:01:02.3456789+00:00") in milliseconds, keeping the sub-millisecond digits. */
export function parseAt(text) {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(text);
  if (!m) return Date.parse(text);
  return Date.parse(m[1] + m[3]) + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0);
}

// A model call runs from `po_state: thinking` until the thread does anything else.
const ENDS_THINKING = new Set(['po_state', 'parallel_batch_started', 'tool_call_started', 'phase_completed', 'task_completed',
  'task_failed', 'budget_exceeded', 'po_delegation_started', 'approval_requested']);

const DEPTH = { task: 0, phase: 1, model: 2, batch: 2, approval: 2, mark: 2, delegation: 3, tool: 3 };

/**
 * Builds the waterfall of `events` (one task's, oldest first) as they stood at `until` (ms; Infinity for all):
 * {t0, t1, bars, running}. A bar is {key, kind, label, start, end (null while open), depth, status, events, …};
 * a batch bar also has n (calls), done (calls finished) and parallel.
 */
export function buildTimeline(events, until = Infinity) {
  const bars = [];
  const open = new Map();
  const threadDepth = new Map();
  let t0 = null;
  let t1 = null;

  for (const e of events) {
    const at = parseAt(e.at);
    if (at > until) break;
    t0 ??= at;
    t1 = at;
    const d = e.data ?? {};
    const thread = e.thread_id ?? e.task_id;
    if (!threadDepth.has(thread)) threadDepth.set(thread, 0);
    const indent = threadDepth.get(thread);

    const start = (key, bar) => {
      if (open.has(key)) return open.get(key);
      const made = { key, start: at, end: null, status: 'running', thread, events: [e], ...bar };
      made.depth = DEPTH[made.kind] + indent * 2;
      open.set(key, made);
      bars.push(made);
      return made;
    };
    const end = (key, patch = {}) => {
      const bar = open.get(key);
      if (!bar) return null;
      open.delete(key);
      bar.events.push(e);
      return Object.assign(bar, { end: at, status: 'ok' }, patch);
    };

    if (ENDS_THINKING.has(e.event)) end(`model:${thread}`);
    switch (e.event) {
      case 'task_started':
        start(`task:${e.task_id}`, { kind: 'task', label: `task · ${d.agent ?? e.agent ?? 'agent'}` });
        break;
      case 'task_completed':
      case 'task_failed': {
        const failed = e.event === 'task_failed';
        for (const key of [...open.keys()]) if (!key.startsWith('task:')) end(key, { status: 'unfinished' });
        end(`task:${e.task_id}`, { status: failed ? 'error' : 'ok', error: d.error });
        break;
      }
      case 'phase_started':
        start(`phase:${thread}:${d.phase}`, { kind: 'phase', label: `phase ${d.phase}` });
        break;
      case 'phase_completed':
        end(`phase:${thread}:${d.phase}`);
        break;
      case 'po_state':
        if (d.status === 'thinking') start(`model:${thread}`, { kind: 'model', label: 'model call' });
        break;
      case 'parallel_batch_started': {
        const ids = d.tool_call_ids ?? [];
        start(`batch:${d.batch_id ?? e.batch_id}`, {
          kind: 'batch', n: ids.length, done: 0, parallel: d.parallel !== false, caller: d.caller,
          label: `batch of ${ids.length} (${d.parallel === false ? 'one at a time' : 'parallel'})`,
        });
        break;
      }
      case 'parallel_batch_completed':
        end(`batch:${d.batch_id ?? e.batch_id}`, { status: d.errors > 0 ? 'error' : 'ok' });
        break;
      case 'tool_call_started':
        start(`tool:${e.batch_id}:${d.tool_call_id ?? e.call_id}`, { kind: 'tool', label: d.tool ?? 'tool', callId: d.tool_call_id ?? e.call_id });
        break;
      case 'tool_call_completed': {
        const bar = end(`tool:${e.batch_id}:${d.tool_call_id ?? e.call_id}`, { status: d.status ?? 'ok', latency: d.latency_ms });
        const batch = open.get(`batch:${e.batch_id}`);
        if (bar && batch) batch.done++;
        break;
      }
      case 'po_delegation_started':
        threadDepth.set(d.thread_id, indent + 1);
        start(`delegation:${d.thread_id ?? d.tool_call_id}`, { kind: 'delegation', label: `${d.caller ?? e.agent} → ${d.target}` });
        break;
      case 'po_delegation_completed':
        end(`delegation:${d.thread_id ?? d.tool_call_id}`);
        break;
      case 'approval_requested':
        start(`approval:${d.approval_id}`, { kind: 'approval', label: `approval · ${d.tool}` });
        break;
      case 'approval_resolved':
        end(`approval:${d.approval_id}`, { status: d.outcome === 'approved' ? 'ok' : 'error', outcome: d.outcome });
        break;
      case 'budget_exceeded':
      case 'task_resumed':
        bars.push({ key: `mark:${e.id}`, kind: 'mark', label: e.event.replace('_', ' '), start: at, end: at, status: 'mark',
          thread, depth: DEPTH.mark + indent * 2, events: [e] });
        break;
    }
  }
  return { t0, t1, bars, running: open.size > 0 };
}

/** The delegation tree of a task: {thread, agent, children, status} from its po_delegation_* events. */
export function buildThreads(events) {
  const nodes = new Map();
  let root = null;
  for (const e of events) {
    const thread = e.thread_id ?? e.task_id;
    if (!root) {
      root = { thread, agent: e.agent ?? 'agent', children: [], status: 'running', toolCallId: null };
      nodes.set(thread, root);
    }
    const d = e.data ?? {};
    if (e.event === 'po_delegation_started' && !nodes.has(d.thread_id)) {
      const parent = nodes.get(thread) ?? root;
      const child = { thread: d.thread_id, agent: d.target, caller: d.caller, children: [], status: 'running', toolCallId: d.tool_call_id };
      nodes.set(d.thread_id, child);
      parent.children.push(child);
    } else if (e.event === 'po_delegation_completed' && nodes.has(d.thread_id)) {
      nodes.get(d.thread_id).status = 'done';
    } else if ((e.event === 'task_completed' || e.event === 'task_failed') && thread === root.thread) {
      root.status = e.event === 'task_completed' ? 'done' : 'failed';
    }
  }
  return root;
}
