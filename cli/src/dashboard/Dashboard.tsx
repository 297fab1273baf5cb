import { Box } from 'ink';
import { instancesOf, visibleLogs, type DashboardState } from './dashboard-state.js';
import { Header } from './Header.js';
import { HelpOverlay } from './HelpOverlay.js';
import { INSTANCES_WIDTH, InstancesPanel } from './InstancesPanel.js';
import { LogPanel } from './LogPanel.js';
import { ScenarioPanel } from './ScenarioPanel.js';
import type { Theme } from './theme.js';
import { TrafficLine, TrafficPanel } from './TrafficPanel.js';

export interface DashboardProps {
  state: DashboardState;
  theme: Theme;
  now: number;
  columns: number;
  rows: number;
}

/**
 * The whole screen from state alone. From 130x34 up: instances beside full traffic panels, the
 * scenario's steps, a tall log. Below (80x24 and up): every instance, two lines of traffic, one of
 * scenarios, the rest log.
 */
export function Dashboard({ state, theme, now, columns, rows }: DashboardProps) {
  const roomy = columns >= 130 && rows >= 34;
  const instances = instancesOf(state);
  const logs = visibleLogs(state);
  const header = 1 + (state.connection === 'no-lab' ? 1 : 0) + (state.message ? 1 : 0);
  // What is left for the log (its border and title take 3) once the other panels have their lines.
  const above = roomy ? Math.max(instances.length + 4, 10) + 4 + 6 : instances.length + 2 + 2 + (state.scenario ? 2 : 1);
  const logHeight = Math.max(2, rows - header - above - 3);
  return (
    <Box flexDirection="column" width={columns}>
      <Header state={state} theme={theme} />
      {state.help ? <HelpOverlay /> : null}
      <Box flexDirection="row">
        <InstancesPanel
          instances={instances}
          restarts={state.restarts}
          selected={state.selected.instances}
          focused={state.panel === 'instances'}
          now={now}
          theme={theme}
          compact={!roomy}
        />
        {roomy ? (
          <TrafficPanel
            traffic={state.traffic}
            queue={state.queue}
            theme={theme}
            sparkWidth={Math.min(30, columns - INSTANCES_WIDTH - 48)}
          />
        ) : null}
      </Box>
      {roomy ? null : <TrafficLine traffic={state.traffic} queue={state.queue} theme={theme} sparkWidth={Math.max(10, columns - 60)} />}
      <ScenarioPanel
        names={state.scenarioNames}
        selected={state.selected.scenarios}
        focused={state.panel === 'scenarios'}
        progress={state.scenario}
        theme={theme}
        compact={!roomy}
      />
      <LogPanel
        lines={logs}
        filter={state.filter}
        editing={state.editingFilter}
        focused={state.panel === 'logs'}
        height={logHeight}
        selected={state.selected.logs}
        theme={theme}
      />
    </Box>
  );
}
