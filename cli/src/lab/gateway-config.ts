import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../shared/paths.js';
import type { LabSpec } from './spec-types.js';

export interface GatewayConfigInput {
  /** `127.0.0.1:8080` in the process runtime, `8080` in a container. */
  listen: string;
  /** host:port of every replica per service name. */
  upstreams: Record<string, string[]>;
  pidFile: string;
  errorLog: string;
  accessLog: string;
  tempDir: string;
  /** A `resolver` line for runtimes whose upstream names need DNS (Docker); empty otherwise. */
  resolver?: string;
}

/** Upstream names may not contain dashes in every nginx version's variables; underscores always work. */
const upstreamName = (service: string) => service.replace(/-/g, '_');

export function renderGatewayConfig(spec: LabSpec, input: GatewayConfigInput, template?: string): string {
  const text = template ?? readFileSync(join(packageRoot(), 'nginx', 'gateway.conf.template'), 'utf8');
  const routed = spec.components.filter((c) => c.gatewayPrefix);
  const upstreams = routed
    .map((c) => {
      const servers = input.upstreams[c.name] ?? [];
      if (servers.length === 0) throw new Error(`no address for the upstream ${c.name}`);
      // A try that finds a replica down skips it for fail_timeout, which nginx counts in whole
      // seconds: 1s brings a restarted replica back 1 to 2 s after that try (2s took 2 to 3 s).
      const lines = servers.map((s) => `        server ${s} max_fails=1 fail_timeout=1s;`).join('\n');
      return `    upstream ${upstreamName(c.name)} {\n${lines}\n        keepalive 32;\n    }`;
    })
    .join('\n\n');
  const locations = routed
    // The request goes on as the client wrote it, less the prefix ($w2meet_upstream_uri, from the
    // raw request line): `proxy_pass http://x/;` would pass nginx's decoded URI, turning an email's
    // %2F into a `/` that splits the path.
    .map(
      (c) => `        location ${c.gatewayPrefix} {\n            proxy_pass http://${upstreamName(c.name)}$w2meet_upstream_uri;\n        }`,
    )
    .join('\n\n');
  const values: Record<string, string> = {
    listen: input.listen,
    pid_file: input.pidFile,
    error_log: input.errorLog,
    access_log: `${input.accessLog} w2meet_json buffer=32k flush=1s`,
    temp_dir: input.tempDir,
    resolver: input.resolver ?? '',
    upstreams,
    locations,
  };
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`nginx template: unknown placeholder {{${key}}}`);
    return value;
  });
}
