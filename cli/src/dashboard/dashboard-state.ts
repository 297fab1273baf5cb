import type { EngineEvent } from '../scenarios/engine-events.js';
import type { CheckResult } from '../scenarios/run-results.js';
import type { InstanceStatus, LabStatus, LogLine } from '../lab/runtime.js';
import { isOwnRequest, type TrafficSnapshot } from './traffic-window.js';

export type Panel = 'instances' | 'scenarios' | 'logs';
export const PANELS: Panel[] = ['instances', 'scenarios', 'logs'];
const LOG_LINES = 300;
/** w2meet's own probe lines kept beside the lab's, so they never push the lab's lines out. */
const OWN_LINES = 100;
/** Samples behind the live median of a running step. */
const RECENT = 200;

/** The median of the running step's latest samples, or null before the first. */
export function liveMedian(p: ScenarioProgress): number | null {
  if (!p.recent.length) return null;
  const sorted = [...p.recent].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export interface QueueFigures {
  depth: number | null;
  consumers: number | null;
  /** Jobs completed (processed + failed) per second, from the worker's counters. */
  completedPerS: number | null;
}

export interface ScenarioProgress {
  name: string;
  status: 'running' | 'passed' | 'failed' | 'skipped';
  reason?: string;
  current: string | null;
  samples: number;
  /** The latest samples' latencies (ms), newest last, for a live median. */
  recent: number[];
  steps: Array<{ name: string; passed: boolean; summary: string }>;
  checks: CheckResult[];
}

/** Everything the dashboard shows: plain data, changed only by `reduce`. */
export interface DashboardState {
  lab: string;
  connection: 'connecting' | 'up' | 'no-lab';
  status: LabStatus | null;
  /** Times each instance came back with a new pid since the dashboard started. */
  restarts: Record<string, number>;
  pids: Record<string, number | null>;
  traffic: TrafficSnapshot;
  queue: QueueFigures;
  logs: LogLine[];
  scenarioNames: string[];
  scenario: ScenarioProgress | null;
  panel: Panel;
  selected: Record<Panel, number>;
  filter: string;
  editingFilter: boolean;
  help: boolean;
  /** Whether the log shows w2meet's own probes (health checks, the dashboard's reads): hidden by default. */
  showOwn: boolean;
  /** The last thing a key did, or what went wrong. */
  message: string | null;
  busy: boolean;
}

export type Action =
  | { type: 'status'; status: LabStatus | null }
  | { type: 'traffic'; snapshot: TrafficSnapshot }
  | { type: 'queue'; figures: QueueFigures }
  | { type: 'logs'; lines: LogLine[] }
  | { type: 'scenarios'; names: string[] }
  | { type: 'engine'; event: EngineEvent }
  | { type: 'panel'; panel: Panel | 'next' }
  | { type: 'move'; by: number }
  | { type: 'filter'; text: string; editing: boolean }
  | { type: 'help'; show: boolean }
  | { type: 'own'; show: boolean }
  | { type: 'busy'; busy: boolean; message?: string | null }
  | { type: 'message'; text: string | null };

export function initialState(lab: string): DashboardState {
  return {
    lab,
    connection: 'connecting',
    status: null,
    restarts: {},
    pids: {},
    traffic: { services: {}, cacheHitRatio: null },
    queue: { depth: null, consumers: null, completedPerS: null },
    logs: [],
    scenarioNames: [],
    scenario: null,
    panel: 'instances',
    selected: { instances: 0, scenarios: 0, logs: 0 },
    filter: '',
    editingFilter: false,
    help: false,
    showOwn: false,
    message: null,
    busy: false,
  };
}

/** Log lines the filter lets through (by component or instance, or by Case-ID), and w2meet's own only when asked for. */
export function visibleLogs(state: DashboardState): LogLine[] {
  const f = state.filter.trim();
  const lines = state.showOwn ? state.logs : state.logs.filter((l) => !isOwnRequest(l));
  if (!f) return lines;
  return lines.filter((l) => l.instance.startsWith(f) || l.record?.case_id === f || l.line.includes(f));
}

/** The newest lines, at most LOG_LINES of the lab's and OWN_LINES of w2meet's own probes, in their order. */
function keepNewest(lines: LogLine[]): LogLine[] {
  let lab = 0;
  let own = 0;
  const kept: LogLine[] = [];
  for (let n = lines.length - 1; n >= 0 && (lab < LOG_LINES || own < OWN_LINES); n--) {
    const line = lines[n]!;
    if (isOwnRequest(line) ? own++ < OWN_LINES : lab++ < LOG_LINES) kept.push(line);
  }
  return kept.reverse();
}

export function instancesOf(state: DashboardState): InstanceStatus[] {
  return state.status?.instances ?? [];
}

function onEngine(state: DashboardState, e: EngineEvent): DashboardState {
  const s = state.scenario;
  switch (e.type) {
    case 'scenario-start':
      return { ...state, scenario: { name: e.scenario, status: 'running', current: null, samples: 0, recent: [], steps: [], checks: [] } };
    case 'step-start':
      return s ? { ...state, scenario: { ...s, current: e.step, samples: 0, recent: [] } } : state;
    case 'sample':
      return s ? { ...state, scenario: { ...s, samples: s.samples + 1, recent: [...s.recent.slice(-(RECENT - 1)), e.latencyMs] } } : state;
    case 'step-end': {
      if (!s) return state;
      const m = e.result.metrics;
      const summary =
        m['latency.p50'] !== undefined ? `${m.count} req, p50 ${m['latency.p50'].toFixed(2)} ms` : (e.result.failures[0] ?? '');
      return {
        ...state,
        scenario: { ...s, current: null, steps: [...s.steps, { name: e.result.name, passed: e.result.status === 'passed', summary }] },
      };
    }
    case 'check':
      return s ? { ...state, scenario: { ...s, checks: [...s.checks, e.result] } } : state;
    case 'scenario-end':
      return {
        ...state,
        scenario: {
          ...(s ?? { name: e.result.name, current: null, samples: 0, recent: [], steps: [], checks: [] }),
          status: e.result.status,
          reason: e.result.reason,
        },
      };
    default:
      return state;
  }
}

export function reduce(state: DashboardState, action: Action): DashboardState {
  switch (action.type) {
    case 'status': {
      if (!action.status) return { ...state, connection: 'no-lab', status: null };
      const restarts = { ...state.restarts };
      const pids = { ...state.pids };
      for (const i of action.status.instances) {
        const before = state.pids[i.id];
        if (before !== undefined && before !== null && i.pid !== null && i.pid !== before) restarts[i.id] = (restarts[i.id] ?? 0) + 1;
        if (i.pid !== null) pids[i.id] = i.pid;
      }
      const count = instancesOf({ ...state, status: action.status }).length;
      const selected = { ...state.selected, instances: Math.min(state.selected.instances, Math.max(0, count - 1)) };
      return { ...state, connection: 'up', status: action.status, restarts, pids, selected };
    }
    case 'traffic':
      return { ...state, traffic: action.snapshot };
    case 'queue':
      return { ...state, queue: action.figures };
    case 'logs':
      return { ...state, logs: keepNewest([...state.logs, ...action.lines]) };
    case 'scenarios':
      return { ...state, scenarioNames: action.names };
    case 'engine':
      return onEngine(state, action.event);
    case 'panel': {
      const panel = action.panel === 'next' ? PANELS[(PANELS.indexOf(state.panel) + 1) % PANELS.length]! : action.panel;
      return { ...state, panel };
    }
    case 'move': {
      const size =
        state.panel === 'instances'
          ? instancesOf(state).length
          : state.panel === 'scenarios'
            ? state.scenarioNames.length
            : visibleLogs(state).length;
      const at = Math.max(0, Math.min(size - 1, state.selected[state.panel] + action.by));
      return { ...state, selected: { ...state.selected, [state.panel]: at } };
    }
    case 'filter':
      return { ...state, filter: action.text, editingFilter: action.editing };
    case 'help':
      return { ...state, help: action.show };
    case 'own': {
      // The selection stays on a line that is still there: the list it points into changes.
      const next = { ...state, showOwn: action.show };
      return { ...next, selected: { ...state.selected, logs: Math.max(0, visibleLogs(next).length - 1) } };
    }
    case 'busy':
      return { ...state, busy: action.busy, message: action.message === undefined ? state.message : action.message };
    case 'message':
      return { ...state, message: action.text };
  }
}
