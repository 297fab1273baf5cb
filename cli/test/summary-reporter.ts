import { relative } from 'node:path';
import type { Reporter, SerializedError, TestModule, TestRunEndReason, Vitest } from 'vitest/node';

/**
 * Ends each run with one plain line, `unit: 12 passed, 0 failed, 1 skipped`, that CI systems and
 * people can read without vitest's colours and layout, then a line for each skip (its name says
 * why) and each file that failed outside its tests. A failed set-up leaves its tests unrun, which
 * vitest calls skipped: here they count as failed, so the line cannot read green when a file broke.
 */
export default class SummaryReporter implements Reporter {
  private projects = '';

  onInit(vitest: Vitest): void {
    this.projects = vitest.projects.map((p) => p.name).join(', ');
  }

  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError> = [],
    reason?: TestRunEndReason,
  ): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const details: string[] = [];
    let project = '';
    for (const module of testModules) {
      project ||= module.project.name;
      const file = relative(module.project.config.root, module.moduleId);
      // Errors of a hook or of collection belong to the file or to a suite, not to any test.
      const errors = [module, ...module.children.allSuites()].flatMap((owner) => owner.errors().map((e) => e.message.split('\n')[0]));
      const brokeOutsideTests = errors.length > 0;
      let failedTests = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        // A test skipped on purpose (it.skip, skipIf) stays skipped whatever its file's set-up did.
        const skippedOnPurpose = test.options.mode === 'skip' || test.options.mode === 'todo';
        if (state === 'passed') counts.passed += 1;
        else if (state === 'failed' || (brokeOutsideTests && !skippedOnPurpose)) {
          counts.failed += 1;
          failedTests += 1;
        } else {
          counts.skipped += 1;
          details.push(`  skipped: ${file} > ${test.fullName}`);
        }
      }
      if (brokeOutsideTests) details.push(`  failed in set-up or tear-down: ${file} (${errors.join('; ')})`);
      // A tear-down that failed after every test passed is one failure more, never none.
      if (brokeOutsideTests && failedTests === 0) counts.failed += 1;
    }
    for (const error of unhandledErrors) details.push(`  failed outside any file: ${error.message.split('\n')[0]}`);
    counts.failed += unhandledErrors.length;
    // A run vitest ended as failed (a global set-up that threw, say) never reads as nothing failed.
    if (reason === 'failed' && counts.failed === 0) {
      counts.failed = 1;
      details.push('  failed before any test ran (its global set-up: see the error above)');
    }
    const line = `${project || this.projects || 'tests'}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
    process.stdout.write(`\n${[line, ...details].join('\n')}\n`);
  }
}
