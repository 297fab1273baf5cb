import type { EngineEvent } from '../scenarios/engine-events.js';
import type { CheckResult } from '../scenarios/run-results.js';
import type { InstanceStatus, LabStatus, LogLine } from '../lab/runtime.js';
import type { TrafficSnapshot } from './traffic-window.js';

export type Panel = 'instances' | 'scenarios' | 'logs';
export const PANELS: Panel[] = ['instances', 'scenarios', 'logs'];
const LOG_LINES = 300;
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
    message: null,
    busy: false,
  };
}

/** Log lines the filter lets through: by component or instance, or by Case-ID. */
export function visibleLogs(state: DashboardState): LogLine[] {
  const f = state.filter.trim();
  if (!f) return state.logs;
  return state.logs.filter((l) => l.instance.startsWith(f) || l.record?.case_id === f || l.line.includes(f));
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
      return { ...state, logs: [...state.logs, ...action.lines].slice(-LOG_LINES) };
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
    case 'busy':
      return { ...state, busy: action.busy, message: action.message === undefined ? state.message : action.message };
    case 'message':
      return { ...state, message: action.text };
  }
}
