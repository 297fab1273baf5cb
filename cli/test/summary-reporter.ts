import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends each run with one plain line, `unit: 12 passed, 0 failed, 1 skipped`, that CI systems and
 * people can read without vitest's colours and layout.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    let project = '';
    for (const module of testModules) {
      project ||= module.project.name;
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed') counts.failed += 1;
        else counts.skipped += 1;
      }
    }
    process.stdout.write(`\n${project || 'tests'}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}
