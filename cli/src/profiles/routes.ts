import type { RouteRule, TargetProfile } from './profile-types.js';

/** `GET /users/users/{email}` → a rule matching filled paths of that route. */
export function compileRoute(route: string, to: string): RouteRule {
  const [method, path] = route.includes(' ') ? (route.split(' ', 2) as [string, string]) : [undefined, route];
  const names: string[] = [];
  const source = path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (!m) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(m[1]!);
      return '([^/?#]+)';
    })
    .join('');
  return { route, method, pattern: new RegExp(`^${source}$`), names, servedAt: to === 'absent' ? undefined : to };
}

export type Routed = { path: string } | { absent: string };

/**
 * Where this deployment serves a request of w2meet's contract: the profile's prefix before it, a
 * route it serves elsewhere rewritten, or the route it does not have named so the step can say so.
 */
export function routeFor(profile: TargetProfile, method: string, path: string): Routed {
  const q = path.search(/[?#]/);
  const bare = q < 0 ? path : path.slice(0, q);
  const rest = q < 0 ? '' : path.slice(q);
  for (const rule of profile.routes) {
    if (rule.method && rule.method !== method) continue;
    const m = rule.pattern.exec(bare);
    if (!m) continue;
    if (rule.servedAt === undefined) return { absent: rule.route };
    const rewritten = rule.servedAt.replace(/\{([^}]+)\}/g, (_, n: string) => m[rule.names.indexOf(n) + 1] ?? '');
    return { path: `${profile.prefix}${rewritten}${rest}` };
  }
  return { path: `${profile.prefix}${path}` };
}
