import { checkScenarioMeaning } from './check-scenario-meaning.js';
import { ScenarioFileError } from '../errors.js';
import type { Scenario } from './scenario-types.js';
import { parseValidatedYaml, readYamlFile } from '../shared/validated-yaml.js';

/** Parses and validates a scenario from its text; every problem comes with file, line and column. */
export async function parseScenario(text: string, file: string): Promise<Scenario> {
  const { data: scenario, locate } = await parseValidatedYaml<Scenario>(text, file, 'scenario.schema.json');
  const problem = checkScenarioMeaning(scenario);
  if (problem) {
    const pos = locate(problem.pointer);
    throw new ScenarioFileError(file, pos.line, pos.column, problem.message);
  }
  return scenario;
}

export async function loadScenarioFile(path: string, shownAs = path): Promise<Scenario> {
  return parseScenario(await readYamlFile(path, shownAs), shownAs);
}
