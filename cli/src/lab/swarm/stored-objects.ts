import { LabStartError } from '../../errors.js';
import { LABEL_LAB, labFilter, labLabels } from '../docker/labels.js';

interface StoredObject {
  ID: string;
  Spec: { Name: string; Labels?: Record<string, string> };
}

/** The Engine's calls for one kind of swarm object that holds data: secrets or configs. */
export interface StoredObjectCalls {
  kind: 'secret' | 'config';
  list: (options: { filters: Record<string, string[]> }) => Promise<unknown>;
  remove: (id: string) => Promise<unknown>;
  create: (options: { Name: string; Labels: Record<string, string>; Data: string }) => Promise<unknown>;
}

/** Makes a secret or config of the lab's; one of that name the lab made before is replaced, anyone else's refused. */
export async function createObject(calls: StoredObjectCalls, lab: string, name: string, data: string): Promise<string> {
  const existing = (await calls.list({ filters: { name: [name] } })) as StoredObject[];
  for (const o of existing.filter((x) => x.Spec.Name === name)) {
    // Only one this lab made before is replaced: anyone else's of that name is not w2meet's to remove.
    if (o.Spec.Labels?.[LABEL_LAB] !== lab)
      throw new LabStartError(
        `the swarm already has a ${calls.kind} named ${name} that is not lab ${lab}'s: w2meet does not replace it`,
        'remove or rename it, or use another --lab',
      );
    await calls.remove(o.ID);
  }
  const made = (await calls.create({ Name: name, Labels: labLabels(lab), Data: Buffer.from(data).toString('base64') })) as {
    id?: string;
    ID?: string;
  };
  return made.id ?? made.ID ?? '';
}

export async function removeObjects(calls: StoredObjectCalls, lab: string): Promise<void> {
  for (const o of (await calls.list({ filters: labFilter(lab) })) as StoredObject[]) await calls.remove(o.ID);
}

export async function objectNames(calls: StoredObjectCalls, lab: string): Promise<string[]> {
  return ((await calls.list({ filters: labFilter(lab) })) as StoredObject[]).map((o) => o.Spec.Name);
}
