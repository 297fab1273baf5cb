import type { LabStatus } from '../lab/runtime.js';
import type { EngineTarget } from './engine-target.js';
import type { Scenario } from './scenario-types.js';
import { WHAT } from './step-skip.js';

/** Why a scenario cannot run on this target, or null when it can. Said in the skip, never silent. */
export async function whyNotRunnable(
  scenario: Scenario,
  target: EngineTarget,
  status: () => Promise<LabStatus | null>,
): Promise<string | null> {
  const missing = (scenario.requires ?? []).filter((c) => !target.capabilities.has(c));
  if (missing.length) {
    const where = target.lab ? `${target.lab.name} does not offer it` : `--target ${target.gatewayUrl} is not a w2meet lab`;
    return `needs ${missing.map((c) => WHAT[c]).join(' and ')}; ${where}`;
  }
  const wanted = Object.entries(scenario.replicas ?? {});
  if (wanted.length) {
    const lab = await status();
    for (const [service, n] of wanted) {
      const have = lab ? lab.instances.filter((i) => i.name === service).length : 0;
      if (have < n) {
        return `needs ${n} replicas of ${service}, the lab has ${have}; bring it up with \`w2meet up --replicas ${service}=${n}\``;
      }
    }
  }
  return null;
}
