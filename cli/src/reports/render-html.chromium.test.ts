import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

/** The report the product writes for the committed fixture run. */
async function fixtureReport(): Promise<string> {
  const results = processRunFixture();
  return renderHtml(buildReport(results, await loadClaims()), results);
}

/**
 * Runs in a copy of the report after load and posts what sticks out sideways to the framing page:
 * any element or text past the viewport's right edge, unless inside a box that scrolls sideways on
 * purpose (a wide table in its wrapper), and anything drawn outside its own chart, which the SVG
 * clips (a legend entry past the edge is simply lost). Only the outermost offender of each nest is
 * named: a wide table, not each of its cells.
 */
const OVERFLOW_PROBE = `addEventListener('load', () => {
  const width = document.documentElement.clientWidth;
  const box = (n) => {
    if (n.nodeType === Node.ELEMENT_NODE) return n.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(n);
    return range.getBoundingClientRect();
  };
  const scrollsSideways = (n) => {
    for (let p = n.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const nodes = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const n = walk.currentNode;
    if (n.nodeType === Node.ELEMENT_NODE || n.data.trim()) nodes.push(n);
  }
  const pastViewport = nodes.filter((n) => box(n).right > width + 0.5 && !scrollsSideways(n));
  const outsideChart = nodes.filter((n) => {
    const svg = n.parentElement && n.parentElement.closest('svg');
    if (!svg) return false;
    const [b, s] = [box(n), svg.getBoundingClientRect()];
    return b.width > 0 && (b.right > s.right + 0.5 || b.left < s.left - 0.5);
  });
  const outermost = (hits) => hits.filter((n) => !hits.some((o) => o !== n && o.contains(n)));
  const name = (n) => {
    const el = n.nodeType === Node.ELEMENT_NODE ? n : n.parentElement;
    const classes = [...el.classList].map((c) => '.' + c).join('');
    const text = n.textContent.replace(/\\s+/g, ' ').trim().slice(0, 50);
    return el.tagName.toLowerCase() + classes + ' "' + text + '" to ' + Math.round(box(n).right) + ' px';
  };
  parent.postMessage(JSON.stringify({
    innerWidth,
    clientWidth: width,
    scrollWidth: document.documentElement.scrollWidth,
    pastViewport: outermost(pastViewport).map(name),
    outsideChart: outermost(outsideChart).map(name),
  }), '*');
});`;

interface Overflow {
  innerWidth: number;
  clientWidth: number;
  scrollWidth: number;
  pastViewport: string[];
  outsideChart: string[];
}

const FRAME_HEIGHT = 2000;

/**
 * Headless Chromium will not make its window narrower than 500 px: at --window-size=390 a page
 * is laid out 500 px wide (only --screenshot is then drawn at 390). So the report is measured in
 * an iframe exactly `width` px wide, a real viewport of its own, in a page of that size.
 * The probe goes into a copy of the report, never into what the product writes.
 */
function writeFramed(dir: string, html: string, width: number): string {
  const end = html.lastIndexOf('</body>');
  expect(end, 'the report has a </body> to put the probe before').toBeGreaterThan(0);
  writeFileSync(join(dir, 'probed.html'), `${html.slice(0, end)}<script>${OVERFLOW_PROBE}</script>${html.slice(end)}`);
  const frame = join(dir, `frame-${width}.html`);
  writeFileSync(
    frame,
    `<!doctype html><html style="overflow:hidden"><body style="margin:0">
<iframe src="probed.html" style="display:block;border:0;width:${width}px;height:${FRAME_HEIGHT}px"></iframe>
<output id="probe" hidden></output>
<script>addEventListener('message', (e) => { document.getElementById('probe').textContent = encodeURIComponent(e.data); });</script>
</body></html>`,
  );
  return frame;
}

/** The probe's findings in the DOM Chromium dumped, or a failure saying it never reported. */
function readProbe(dom: string): Overflow {
  const found = /<output id="probe" hidden="">([^<]+)<\/output>/.exec(dom);
  expect(found, 'the overflow probe posted its findings before the DOM was dumped').not.toBeNull();
  return JSON.parse(decodeURIComponent(found![1]!)) as Overflow;
}

/** A PNG's size in pixels, from its IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1'), `${file} is a PNG`).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe.skipIf(!chromium)('the HTML report in headless Chromium (needs chromium: apt install chromium)', () => {
  it('renders every chart and logs no console error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'w2meet-html-'));
    // The browser's profile, the page and its screenshot go with the test, whatever it found.
    try {
      const file = join(dir, 'report.html');
      writeFileSync(file, await fixtureReport());
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

  // A laptop and a phone (390 CSS px: an iPhone 12 to 15).
  it.each([1280, 390])(
    'at %i px wide: a screenshot, and nothing sticks out sideways',
    async (width) => {
      const dir = mkdtempSync(join(tmpdir(), 'w2meet-html-'));
      try {
        const frame = writeFramed(dir, await fixtureReport(), width);
        const png = join(dir, `report-${width}.png`);
        // One launch draws the screenshot and dumps the DOM with the probe's findings.
        const run = headless([`--window-size=${width},${FRAME_HEIGHT}`, `--screenshot=${png}`, '--dump-dom', `file://${frame}`], dir);
        expect(run.status, run.stderr).toBe(0);
        expect(pngSize(png)).toEqual({ width, height: FRAME_HEIGHT });
        // A blank page this size compresses to a byte per hundred pixels or more; text and charts take far more.
        expect(statSync(png).size).toBeGreaterThan((width * FRAME_HEIGHT) / 50);
        const found = readProbe(run.stdout);
        expect(found.innerWidth, 'the report was laid out at the width asked for').toBe(width);
        expect(found.pastViewport).toEqual([]);
        expect(found.outsideChart).toEqual([]);
        expect(found.scrollWidth).toBeLessThanOrEqual(found.clientWidth);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );
});
