import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../shared/validated-yaml.js';
import { buildReport } from './build-report.js';
import { loadClaims } from './load-claims.js';
import { renderHtml } from './render-html.js';
import { renderJunit } from './render-junit.js';
import { renderMarkdown } from './render-markdown.js';
import { commandInstalled, processRunFixture } from './report-fixture.js';

const hasXmllint = commandInstalled('xmllint');

/** xmllint's verdict on a file: '' when it is well formed (and valid against `schema` if given). */
function xmllint(text: string, schema?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'w2meet-xml-'));
  const file = join(dir, 'doc.xml');
  writeFileSync(file, text);
  try {
    execFileSync('xmllint', ['--noout', ...(schema ? ['--schema', schema] : []), file], { stdio: 'pipe' });
    return '';
  } catch (err) {
    return String((err as { stderr?: Buffer }).stderr ?? err);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('report renderers on a real run', async () => {
  const results = processRunFixture();
  const report = buildReport(results, await loadClaims());

  it('writes JSON that validates against the committed schema', async () => {
    const validate = new Ajv({ strict: false, allErrors: true }).compile(await loadSchema('report.schema.json'));
    const json = JSON.parse(JSON.stringify(report));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    // The schema can fail: a report without its scorecard does not validate.
    delete json.scorecard;
    expect(validate(json)).toBe(false);
  });

  it('writes Markdown with every claim, goal and scenario', () => {
    const md = renderMarkdown(report);
    for (const c of report.claims) expect(md).toContain(`| ${c.id} |`);
    for (const g of report.scorecard) expect(md).toContain(`| ${g.kg} |`);
    expect(md).toContain('❌ fails');
  });

  it.skipIf(!hasXmllint)(
    'writes JUnit XML that validates against its schema, one case per check and claim (needs xmllint: apt install libxml2-utils)',
    () => {
      const xml = renderJunit(report);
      expect(xmllint(xml, join(import.meta.dirname, 'fixtures', 'junit.xsd'))).toBe('');
      expect((xml.match(/<testcase /g) ?? []).length).toBe(report.checks.length + report.claims.length);
      expect(xml).toContain('<failure message="ratio of medians 1.35');
      expect(xml).toContain('<skipped message="inconclusive: ratio of medians 0.90');
      // The schema can fail: a test case without its name does not validate.
      expect(
        xmllint(
          xml.replace(/<testcase classname="claims" name="[^"]*"/, '<testcase classname="claims"'),
          join(import.meta.dirname, 'fixtures', 'junit.xsd'),
        ),
      ).not.toBe('');
    },
  );

  it.skipIf(!hasXmllint)('writes self-contained HTML whose SVG charts are well formed (needs xmllint: apt install libxml2-utils)', () => {
    const html = renderHtml(report, results);
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(6);
    for (const svg of svgs) expect(xmllint(svg)).toBe('');
  });
});
