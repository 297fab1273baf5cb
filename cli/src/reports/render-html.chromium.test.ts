import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport } from './build-report.js';
import { loadClaims } from './load-claims.js';
import { renderHtml } from './render-html.js';
import { commandInstalled, processRunFixture } from './report-fixture.js';

const chromium = commandInstalled('chromium');

/** Headless Chromium on a local file: no network, a fresh profile, its console on stderr. */
function headless(args: string[], dir: string) {
  return spawnSync(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-extensions',
      `--user-data-dir=${join(dir, 'profile')}`,
      '--enable-logging=stderr',
      '--v=0',
      '--virtual-time-budget=2000',
      ...args,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

describe.skipIf(!chromium)('the HTML report in headless Chromium (needs chromium: apt install chromium)', () => {
  it('renders every chart and logs no console error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-html-'));
    // The browser's profile, the page and its screenshot go with the test, whatever it found.
    try {
      const file = join(dir, 'report.html');
      const results = processRunFixture();
      writeFileSync(file, renderHtml(buildReport(results, await loadClaims()), results));
      const dom = headless(['--dump-dom', `file://${file}`], dir);
      expect(dom.status, dom.stderr).toBe(0);
      // The DOM Chromium built: every chart is an SVG element with its drawn paths and bars.
      const svgs = dom.stdout.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
      expect(svgs.length).toBeGreaterThanOrEqual(6);
      expect(svgs.filter((s) => /<path d="M/.test(s) || /<rect [^>]*fill="#1f77b4"/.test(s)).length).toBe(svgs.length);
      expect(dom.stderr).not.toMatch(/CONSOLE|Uncaught|ERROR:.*report\.html/);
      const shot = headless([`--screenshot=${join(dir, 'report.png')}`, '--window-size=1200,4000', `file://${file}`], dir);
      expect(shot.status, shot.stderr).toBe(0);
      expect(statSync(join(dir, 'report.png')).size).toBeGreaterThan(50_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
