import { describe, expect, it } from 'vitest';
import { renderGatewayConfig } from './gateway-config.js';
import { buildLabSpec } from './spec.js';
import { generateSecrets } from './secrets.js';

const spec = buildLabSpec(generateSecrets());
const input = {
  listen: '127.0.0.1:8080',
  upstreams: {
    'user-service': ['127.0.0.1:4001'],
    'availability-service': ['127.0.0.1:4002', '127.0.0.1:4003'],
    'suggestion-service': ['127.0.0.1:4004', '127.0.0.1:4005'],
    'worker-service': ['127.0.0.1:4006'],
  },
  pidFile: '/run/x.pid',
  errorLog: '/logs/e.log',
  accessLog: '/logs/a.log',
  tempDir: '/tmp/n',
};

describe('renderGatewayConfig', () => {
  const conf = renderGatewayConfig(spec, input);

  it('has one upstream per service with a server line per replica', () => {
    expect(conf).toMatch(/upstream availability_service \{\s+server 127\.0\.0\.1:4002 [^\n]*\n\s+server 127\.0\.0\.1:4003/);
    expect(conf.match(/upstream \w+ \{/g)).toHaveLength(4);
  });

  it('strips each service prefix and listens where told', () => {
    for (const [prefix, upstream] of [
      ['/users/', 'user_service'],
      ['/availability/', 'availability_service'],
      ['/suggestion/', 'suggestion_service'],
      ['/worker/', 'worker_service'],
    ]) {
      expect(conf).toContain(`location ${prefix} {\n            proxy_pass http://${upstream}$w2meet_upstream_uri;`);
    }
    // The prefix is stripped from the raw request target, so an encoded / stays encoded.
    expect(conf).toContain('"~^/[^/?]+(?<rest>/.*)$" $rest;');
    expect(conf).toContain('listen 127.0.0.1:8080;');
  });

  it('leaves no placeholder behind and refuses an unknown one', () => {
    expect(conf).not.toMatch(/\{\{\w+\}\}/);
    expect(() => renderGatewayConfig(spec, input, 'x {{nope}}')).toThrow('unknown placeholder {{nope}}');
  });

  it('refuses a service with no address', () => {
    expect(() => renderGatewayConfig(spec, { ...input, upstreams: {} })).toThrow('no address for the upstream');
  });
});
