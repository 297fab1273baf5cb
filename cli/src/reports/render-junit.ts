import type { Report } from './build-report.js';

const failures_ = (cases: Report['checks'], status: string) =>
  status === 'skipped' ? 0 : cases.filter((c) => !c.passed && !c.skipped).length;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * JUnit XML for CI systems: one test suite per scenario (its steps and checks as test cases) and
 * one for the claims. A skipped scenario's cases are skipped with the reason; an inconclusive or
 * unmeasured claim is skipped too, since it neither holds nor fails.
 */
export function renderJunit(r: Report): string {
  const suites: string[] = [];
  let tests = r.claims.length;
  let failures = r.summary.claims.fails;
  for (const scenario of r.scenarios) {
    const cases = r.checks.filter((c) => c.scenario === scenario.name);
    const body =
      scenario.status === 'skipped'
        ? `    <testcase classname="scenario.${esc(scenario.name)}" name="run"><skipped message="${esc(scenario.reason ?? 'skipped')}"/></testcase>`
        : cases
            .map(
              (c) =>
                `    <testcase classname="scenario.${esc(scenario.name)}" name="${esc(c.name)}">${c.passed ? '' : c.skipped ? `<skipped message="${esc(c.detail)}"/>` : `<failure message="${esc(c.detail)}"/>`}</testcase>`,
            )
            .join('\n');
    const count = scenario.status === 'skipped' ? 1 : cases.length;
    tests += count;
    failures += failures_(cases, scenario.status);
    suites.push(
      `  <testsuite name="scenario ${esc(scenario.name)}" tests="${count}" failures="${failures_(cases, scenario.status)}" errors="0" skipped="${scenario.status === 'skipped' ? 1 : 0}" time="${(scenario.durationMs / 1000).toFixed(3)}">\n${body}\n  </testsuite>`,
    );
  }
  const claimCases = r.claims.map((v) => {
    const inner =
      v.status === 'fails'
        ? `<failure message="${esc(v.reason)}"/>`
        : v.status === 'inconclusive' || v.status === 'not-measured'
          ? `<skipped message="${esc(`${v.status === 'inconclusive' ? 'inconclusive' : 'not measured'}: ${v.reason}`)}"/>`
          : '';
    return `    <testcase classname="claims" name="${esc(`${v.id}: ${v.test}`)}">${inner}</testcase>`;
  });
  suites.push(
    `  <testsuite name="claims" tests="${r.claims.length}" failures="${r.summary.claims.fails}" errors="0" skipped="${r.summary.claims.inconclusive + r.summary.claims.notMeasured}" time="0">\n${claimCases.join('\n')}\n  </testsuite>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="w2meet ${esc(r.runId)}" tests="${tests}" failures="${failures}" errors="0">\n${suites.join('\n')}\n</testsuites>\n`;
}
