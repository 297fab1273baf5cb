import { LostCredentialsError } from '../../errors.js';
import { labDir } from '../../shared/paths.js';
import { completeSecrets, readSecretsFile } from '../secrets.js';
import type { LabSecrets } from '../spec.js';
import type { EngineClient } from './engine-client.js';

/**
 * On Docker a lab's credentials are kept on its data volumes, as a label set when the volume is
 * made. Labels never change, so the volume always says which credentials its data was made with;
 * the two go together and `down -v` removes both. (Whoever can read a volume's labels can read the
 * containers' environment, which holds the same passwords.)
 */
export const LABEL_CREDENTIALS = 'dev.w2meet.credentials';

export function credentialLabels(secrets: LabSecrets): Record<string, string> {
  return { [LABEL_CREDENTIALS]: Buffer.from(JSON.stringify(secrets)).toString('base64url') };
}

export function decodeCredentials(label: string): LabSecrets {
  return completeSecrets(JSON.parse(Buffer.from(label, 'base64url').toString('utf8')));
}

/**
 * The credentials of the lab's volumes; null when it has none. Volumes made before credentials
 * were labelled fall back to the lab folder's file, which held them then; volumes whose credentials
 * are nowhere are an error that says how to start afresh.
 */
export async function volumeCredentials(
  engine: Pick<EngineClient, 'labVolumes'>,
  lab: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LabSecrets | null> {
  const volumes = await engine.labVolumes(lab);
  if (!volumes.length) return null;
  const labelled = volumes.find((v) => v.Labels?.[LABEL_CREDENTIALS]);
  if (labelled) return decodeCredentials(labelled.Labels[LABEL_CREDENTIALS]!);
  const legacy = await readSecretsFile(labDir(lab, env));
  if (legacy) return legacy;
  throw new LostCredentialsError(
    lab,
    volumes.map((v) => v.Name),
  );
}
