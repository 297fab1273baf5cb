import type { TargetProfile } from '../profiles/profile-types.js';
import { routeFor } from '../profiles/routes.js';

/**
 * How one deployment speaks the contract over HTTP: where a contract path is served (a prefix, a
 * route served elsewhere), which header carries the Case-ID, and which headers, if any, say what
 * happened (cache outcome, server time, answering replica).
 */
export interface HttpShape {
  path(method: string, path: string): string;
  caseIdHeader: string;
  cacheHeader?: string;
  serverTimingHeader?: string;
  instanceHeader?: string;
}

/** w2meet's own contract, at the root of its origin. */
export const CONTRACT_SHAPE: HttpShape = {
  path: (_method, path) => path,
  caseIdHeader: 'Case-ID',
  cacheHeader: 'x-cache',
  serverTimingHeader: 'server-timing',
  instanceHeader: 'x-instance',
};

/** The shape a profile describes, under the path the target URL gave (`http://host/api/` → `/api`). */
export function shapeOf(profile: TargetProfile, basePath: string): HttpShape {
  const header = (o: { via: string; header?: string }) => (o.via === 'header' ? o.header!.toLowerCase() : undefined);
  return {
    path: (method, path) => {
      const routed = routeFor(profile, method, path);
      // An absent route's step is skipped before it sends; a path that still reaches here is sent as written.
      return `${basePath}${'path' in routed ? routed.path : `${profile.prefix}${path}`}`;
    },
    caseIdHeader: profile.caseIdHeader,
    cacheHeader: header(profile.cache),
    serverTimingHeader: header(profile.serverTime),
    instanceHeader: header(profile.instance),
  };
}
