import { useApp, useInput, useStdout } from 'ink';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FaultVerb } from '../lab/runtime.js';
import { Dashboard } from './Dashboard.js';
import { initialState, instancesOf, reduce, visibleLogs, type Action } from './dashboard-state.js';
import type { DashboardSource } from './dashboard-source.js';
import type { Theme } from './theme.js';
import { useLabData } from './use-lab-data.js';

export interface AppProps {
  lab: string;
  source: DashboardSource;
  theme: Theme;
  pollMs?: number;
  /** Brings the lab up beside the dashboard, saying what it does (`w2meet dashboard --up`). */
  bringUp?: (say: (text: string) => void) => Promise<void>;
}

const VERBS: Record<string, FaultVerb> = { s: 'stop', S: 'start', r: 'restart', k: 'kill' };

/** `availability-service-2` → `availability-service#2`, the form fault verbs take. */
function faultTarget(id: string, name: string, replica: number, replicas: number): string {
  return replicas > 1 ? `${name}#${replica}` : id;
}

/** The dashboard: keys in the style of lazydocker and k9s, acting through the runtime's verbs. */
export function App({ lab, source, theme, pollMs, bringUp }: AppProps) {
  // The state lives in a ref that every action updates at once, and a render follows: keys typed
  // faster than the screen redraws (a paste, tmux send-keys) each see the state the last one left.
  const store = useRef(initialState(lab));
  const [, redraw] = useState(0);
  const dispatch = useCallback((a: Action) => {
    store.current = reduce(store.current, a);
    redraw((n) => n + 1);
  }, []);
  const { exit } = useApp();
  const { stdout } = useStdout();
  const running = useRef<AbortController | null>(null);
  useLabData(source, dispatch, pollMs);
  useEffect(() => {
    if (!bringUp) return;
    dispatch({ type: 'busy', busy: true });
    bringUp((text) => dispatch({ type: 'message', text }))
      .then(() => dispatch({ type: 'busy', busy: false }))
      .catch((err: Error) => dispatch({ type: 'busy', busy: false, message: `the lab did not come up: ${err.message.split('\n')[0]}` }));
  }, [bringUp, dispatch]);

  const act = async (label: string, work: () => Promise<void>) => {
    dispatch({ type: 'busy', busy: true, message: `${label}…` });
    try {
      await work();
      dispatch({ type: 'busy', busy: false, message: `${label}: done` });
    } catch (err) {
      dispatch({ type: 'busy', busy: false, message: `${label}: ${(err as Error).message}` });
    }
  };

  useInput((input, key) => {
    const state = store.current;
    if (state.help) return dispatch({ type: 'help', show: false });
    if (state.editingFilter) {
      if (key.return) return dispatch({ type: 'filter', text: state.filter, editing: false });
      if (key.escape) return dispatch({ type: 'filter', text: '', editing: false });
      if (key.backspace || key.delete) return dispatch({ type: 'filter', text: state.filter.slice(0, -1), editing: true });
      if (input && !key.ctrl && !key.meta) return dispatch({ type: 'filter', text: state.filter + input, editing: true });
      return;
    }
    if (input === 'q') {
      running.current?.abort();
      return exit();
    }
    if (input === '?') return dispatch({ type: 'help', show: true });
    if (input === 'o') return dispatch({ type: 'own', show: !state.showOwn });
    if (key.tab) return dispatch({ type: 'panel', panel: 'next' });
    if (input === 'l') return dispatch({ type: 'panel', panel: 'logs' });
    if (input === '/') {
      dispatch({ type: 'panel', panel: 'logs' });
      return dispatch({ type: 'filter', text: '', editing: true });
    }
    if (key.upArrow) return dispatch({ type: 'move', by: -1 });
    if (key.downArrow) return dispatch({ type: 'move', by: 1 });
    if (key.escape && state.filter) return dispatch({ type: 'filter', text: '', editing: false });
    // One action at a time; a key that would start another says so instead of vanishing.
    if (state.busy) {
      if (input === 'u' || VERBS[input] || input === 'p' || (key.return && state.panel === 'scenarios')) {
        dispatch({ type: 'message', text: `${state.message ?? 'busy'} (wait until it is done, then try again)` });
      }
      return;
    }

    const instances = instancesOf(state);
    if (input === 'u') {
      const broken = instances.filter((i) => i.state !== 'running');
      return void act('up-all', async () => {
        for (const i of broken) {
          const replicas = instances.filter((j) => j.name === i.name).length;
          await source.fault(i.state === 'paused' ? 'unpause' : 'start', faultTarget(i.id, i.name, i.replica, replicas));
        }
      });
    }
    if (state.panel === 'instances' && (VERBS[input] || input === 'p')) {
      const i = instances[state.selected.instances];
      if (!i) return;
      const verb: FaultVerb = input === 'p' ? (i.state === 'paused' ? 'unpause' : 'pause') : VERBS[input]!;
      const target = faultTarget(i.id, i.name, i.replica, instances.filter((j) => j.name === i.name).length);
      return void act(`${verb} ${target}`, () => source.fault(verb, target));
    }
    if (key.return && state.panel === 'scenarios') {
      const name = state.scenarioNames[state.selected.scenarios];
      if (!name || running.current) return;
      const controller = new AbortController();
      running.current = controller;
      dispatch({ type: 'message', text: `running ${name}` });
      void source
        .runScenario(name, (event) => dispatch({ type: 'engine', event }), controller.signal)
        .finally(() => {
          running.current = null;
        });
      return;
    }
    if (key.return && state.panel === 'logs') {
      const caseId = visibleLogs(state)[state.selected.logs]?.record?.case_id;
      if (typeof caseId === 'string') dispatch({ type: 'filter', text: caseId, editing: false });
    }
  });

  // Uptimes move with the traffic tick's redraw, once a second: no timer of their own.
  return <Dashboard state={store.current} theme={theme} now={Date.now()} columns={stdout.columns || 80} rows={stdout.rows || 24} />;
}
