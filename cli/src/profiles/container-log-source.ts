import { COMPOSE_SERVICE } from '../lab/compose-project/compose-command.js';
import type { EngineClient } from '../lab/docker/engine-client.js';
import type { LogLine } from '../lab/runtime.js';
import type { LogSource } from './log-source.js';

/** Which containers a deployment's logs are read from: those with a label, or each component's by name. */
export type ContainerSelection = { label: string } | { names: Record<string, string> };

/**
 * The logs of containers w2meet did not make, read through the Engine by time (to the second, as
 * it keeps them). A labelled container is named after its compose service where it has one.
 */
export function containerLogSource(engine: EngineClient, selection: ContainerSelection): LogSource {
  const containers = async (): Promise<Array<{ component: string; container: string }>> => {
    if ('names' in selection) return Object.entries(selection.names).map(([component, container]) => ({ component, container }));
    const found = await engine.containersByLabel(selection.label);
    return found.map((c) => ({ component: c.labels[COMPOSE_SERVICE] ?? c.containerId.slice(0, 12), container: c.containerId }));
  };
  return {
    describe: 'label' in selection ? `containers labelled ${selection.label}` : `containers ${Object.values(selection.names).join(', ')}`,
    mark: async () => ({ at: new Date(Date.now() - 1000) }),
    since: async (mark, signal) => {
      const lines: LogLine[] = [];
      for (const { component, container } of await containers()) {
        // A container that is gone (stopped by a fault and removed, or misnamed) has no lines to give.
        try {
          for await (const line of engine.logLines(container, { follow: false, since: mark.at, signal })) {
            lines.push({ instance: component, line, record: null });
          }
        } catch {}
      }
      return lines;
    },
  };
}
