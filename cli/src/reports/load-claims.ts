import { join } from 'node:path';
import { packageRoot } from '../lab/paths.js';
import { parseValidatedYaml, readYamlFile } from '../scenarios/validated-yaml.js';
import type { Claim } from './claim-types.js';

export function claimsFile(): string {
  return join(packageRoot(), 'scenarios', 'claims.yaml');
}

/** The claims, validated against `scenarios/claims.schema.json`; a bad file names its line. */
export async function loadClaims(path = claimsFile(), shownAs = 'scenarios/claims.yaml'): Promise<Claim[]> {
  const { data } = await parseValidatedYaml<{ claims: Claim[] }>(await readYamlFile(path, shownAs), shownAs, 'claims.schema.json');
  return data.claims;
}
