import { join } from 'node:path';
import { ScenarioFileError } from '../errors.js';
import { packageRoot } from '../shared/paths.js';
import { loadSuite } from '../scenarios/suite.js';
import { parseValidatedYaml, readYamlFile } from '../shared/validated-yaml.js';
import { type Claim, stepsOf } from './claim-types.js';

export function claimsFile(): string {
  return join(packageRoot(), 'scenarios', 'claims.yaml');
}

/**
 * The claims, validated against `scenarios/claims.schema.json` and against the suite: a claim
 * naming a scenario or a step that does not exist would never be measured, so it is an error in
 * the claims file (at the claim's line), not a claim forever "not measured".
 */
export async function loadClaims(path = claimsFile(), shownAs = 'scenarios/claims.yaml', suiteDir?: string): Promise<Claim[]> {
  const text = await readYamlFile(path, shownAs);
  const { data } = await parseValidatedYaml<{ claims: Claim[] }>(text, shownAs, 'claims.schema.json');
  const steps = new Map(
    (await loadSuite(suiteDir)).map((s) => [
      s.scenario.name,
      new Set([...(s.scenario.setup ?? []), ...s.scenario.steps].map((x) => x.name)),
    ]),
  );
  for (const claim of data.claims) {
    for (const ref of stepsOf(claim)) {
      const known = steps.get(ref.scenario);
      const problem = !known
        ? `claim ${claim.id} names scenario ${ref.scenario}, which is not in the suite (${[...steps.keys()].join(', ')})`
        : !known.has(ref.step)
          ? `claim ${claim.id} names step ${ref.step} of scenario ${ref.scenario}, which has no such step`
          : null;
      if (problem) throw new ScenarioFileError(shownAs, lineOf(text, claim.id), 5, problem);
    }
  }
  return data.claims;
}

/** The line a claim starts on, for the error message. */
function lineOf(text: string, id: string): number {
  const index = text.split('\n').findIndex((l) => new RegExp(`^\\s*-\\s*id:\\s*["']?${id.replace(/[.]/g, '\\.')}["']?\\s*$`).test(l));
  return index < 0 ? 1 : index + 1;
}
