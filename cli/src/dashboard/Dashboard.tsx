import { Box } from 'ink';
import { instancesOf, visibleLogs, type DashboardState } from './dashboard-state.js';
import { Header } from './Header.js';
import { HELP_HEIGHT, HelpOverlay } from './HelpOverlay.js';
import { INSTANCES_WIDTH, InstancesPanel } from './InstancesPanel.js';
import { LogPanel } from './LogPanel.js';
import { ScenarioPanel } from './ScenarioPanel.js';
import type { Theme } from './theme.js';
import { SERVICES, TrafficLine, TrafficPanel } from './TrafficPanel.js';

export interface DashboardProps {
  state: DashboardState;
  theme: Theme;
  now: number;
  columns: number;
  rows: number;
}

/** Rows of the per-service traffic panel: its borders, title, column names, services and the cache/queue line. */
const TRAFFIC_ROWS = SERVICES.length + 5;
/** Fewest log lines a layout leaves before a smaller one is chosen. */
const MIN_LOG_LINES = 8;
/** The log panel's rows beyond its lines: borders and title. */
const LOG_FRAME = 3;

export type Layout = 'wide' | 'tall' | 'small';

/**
 * Which arrangement fits: from 130x34, instances beside the per-service traffic ("wide"); narrower
 * but tall enough (120x40), the traffic table below the instances ("tall"); otherwise (80x24 up)
 * every instance, two lines of traffic, one of scenarios, the rest log ("small").
 */
export function layoutFor(columns: number, rows: number, instances: number, header: number): Layout {
  if (columns >= 130 && rows >= 34) return 'wide';
  const tall = header + instances + 4 + TRAFFIC_ROWS + 2 + LOG_FRAME + MIN_LOG_LINES;
  return rows >= tall ? 'tall' : 'small';
}

/** The whole screen from state alone, within `rows`: the help is drawn over the panels. */
export function Dashboard({ state, theme, now, columns, rows }: DashboardProps) {
  const instances = instancesOf(state);
  const logs = visibleLogs(state);
  const header = 1 + (state.connection === 'no-lab' ? 1 : 0) + (state.message ? 1 : 0);
  const layout = layoutFor(columns, rows, instances.length, header);
  const scenarioRows = state.scenario ? 2 : 1;
  // What is left for the log once the other panels have their rows.
  const above = {
    wide: Math.max(instances.length + 4, TRAFFIC_ROWS) + 4 + 6,
    tall: instances.length + 4 + TRAFFIC_ROWS + scenarioRows,
    small: instances.length + 3 + 2 + scenarioRows,
  }[layout];
  const logHeight = Math.max(2, rows - header - above - LOG_FRAME);
  const traffic = (sparkWidth: number) => (
    <TrafficPanel traffic={state.traffic} queue={state.queue} theme={theme} sparkWidth={sparkWidth} />
  );
  return (
    <Box flexDirection="column" width={columns} minHeight={state.help ? Math.min(rows, HELP_HEIGHT + 1) : undefined}>
      <Header state={state} theme={theme} />
      <Box flexDirection="row">
        <InstancesPanel
          instances={instances}
          restarts={state.restarts}
          selected={state.selected.instances}
          focused={state.panel === 'instances'}
          now={now}
          theme={theme}
          compact={layout === 'small'}
        />
        {layout === 'wide' ? traffic(Math.min(30, columns - INSTANCES_WIDTH - 48)) : null}
      </Box>
      {layout === 'tall' ? traffic(Math.min(30, columns - 4 - 44)) : null}
      {layout === 'small' ? (
        <TrafficLine traffic={state.traffic} queue={state.queue} theme={theme} sparkWidth={Math.max(10, columns - 60)} />
      ) : null}
      <ScenarioPanel
        names={state.scenarioNames}
        selected={state.selected.scenarios}
        focused={state.panel === 'scenarios'}
        progress={state.scenario}
        theme={theme}
        compact={layout !== 'wide'}
      />
      <LogPanel
        lines={logs}
        filter={state.filter}
        editing={state.editingFilter}
        focused={state.panel === 'logs'}
        height={logHeight}
        selected={state.selected.logs}
        showOwn={state.showOwn}
        theme={theme}
      />
      {state.help ? <HelpOverlay columns={columns} /> : null}
    </Box>
  );
}
