import { VERSION } from '../../version.js';

/**
 * Everything w2meet creates on Docker carries these labels, so `down`, crash recovery and
 * `images prune` find exactly what w2meet made and nothing else.
 */
export const LABEL_LAB = 'dev.w2meet.lab';
export const LABEL_VERSION = 'dev.w2meet.version';
export const LABEL_COMPONENT = 'dev.w2meet.component';
export const LABEL_REPLICA = 'dev.w2meet.replica';
export const LABEL_INSTANCE = 'dev.w2meet.instance';
export const LABEL_IMAGE_HASH = 'dev.w2meet.image-hash';
export const LABEL_IMAGE_ROLE = 'dev.w2meet.image-role';

export function labLabels(lab: string): Record<string, string> {
  return { [LABEL_LAB]: lab, [LABEL_VERSION]: VERSION };
}

/** The filter the Engine API takes to list what belongs to one lab. */
export function labFilter(lab: string): { label: string[] } {
  return { label: [`${LABEL_LAB}=${lab}`] };
}
