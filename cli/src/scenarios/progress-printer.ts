import type { EngineListener } from './engine-events.js';
import type { CheckResult, StepResult } from './run-results.js';

const fmt = (n: number | undefined) =>
  n === undefined ? '-' : Number.isInteger(n) || Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2);

function stepLine(step: StepResult): string {
  const m = step.metrics;
  const mark = step.status === 'passed' ? '✓' : step.status === 'skipped' ? '-' : '✗';
  const parts: string[] = [];
  if (m.count !== undefined && m['latency.p50'] !== undefined) {
    parts.push(`${m.count} req`, `p50 ${fmt(m['latency.p50'])} ms`, `p99 ${fmt(m['latency.p99'])} ms`);
    if (m.rps !== undefined && m.count > 50) parts.push(`${fmt(m.rps)}/s`);
  }
  if (m.accepted !== undefined)
    parts.push(`${m.accepted} accepted`, `${m.lost} lost`, `${m.duplicates} dup`, `${fmt(m.jobs_per_s)} jobs/s`);
  if (step.kind === 'create_users') parts.push(`${m.count} users`);
  if (m.waited_ms !== undefined) parts.push(`${fmt(m.waited_ms)} ms`);
  if (m.hops_seen !== undefined) parts.push(`${m.hops_seen} hops`);
  const why = step.reason ? `  (skipped: ${step.reason})` : step.failures.length ? `  (${step.failures[0]})` : '';
  return `  ${mark} ${step.name.padEnd(22)} ${parts.join('  ')}${why}`;
}

function checkLine(c: CheckResult): string {
  const right = c.than ? `${c.than} ${fmt(c.expected ?? undefined)}` : fmt(c.expected ?? undefined);
  const why = c.reason ? `  (${c.reason})` : '';
  return `  ${c.passed ? '✓' : c.skipped ? '-' : '✗'} check ${c.metric} ${fmt(c.actual ?? undefined)} ${c.op} ${right}${why}`;
}

/**
 * Plain progress lines on a stream (stderr): one per step, check and scenario, so a CI log reads
 * like a test run. On a terminal a live line shows the running step's sample count.
 */
export function progressPrinter(out: NodeJS.WriteStream | NodeJS.WritableStream = process.stderr): EngineListener {
  const live = 'isTTY' in out && out.isTTY === true;
  let samples = 0;
  let current = '';
  let lastDraw = 0;
  const clear = () => live && out.write('\r\x1b[K');
  return (e) => {
    switch (e.type) {
      case 'run-start':
        out.write(`run ${e.runId}: ${e.scenarios.length} scenarios against ${e.gatewayUrl}\n`);
        break;
      case 'scenario-start':
        out.write(`\n${e.scenario}\n`);
        break;
      case 'step-start':
        samples = 0;
        current = e.step;
        break;
      case 'sample':
        samples++;
        if (live && Date.now() - lastDraw > 200) {
          lastDraw = Date.now();
          out.write(`\r\x1b[K  … ${current} ${samples}`);
        }
        break;
      case 'step-end':
        clear();
        out.write(`${stepLine(e.result)}\n`);
        break;
      case 'fault':
        out.write(`  ! ${e.fault.undo ? 'undo: ' : ''}${e.fault.verb} ${e.fault.target}${e.fault.ok ? '' : ` failed: ${e.fault.error}`}\n`);
        break;
      case 'check':
        out.write(`${checkLine(e.result)}\n`);
        break;
      case 'scenario-end': {
        const r = e.result;
        const label = r.status === 'passed' ? 'PASS' : r.status === 'skipped' ? 'SKIP' : 'FAIL';
        const first = r.status === 'skipped' ? `\n${r.name}\n` : '';
        out.write(`${first}${label} ${r.name} (${(r.durationMs / 1000).toFixed(1)} s)${r.reason ? `: ${r.reason}` : ''}\n`);
        break;
      }
      case 'run-end': {
        const count = (s: string) => e.results.scenarios.filter((r) => r.status === s).length;
        out.write(`\n${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped; results: ${e.resultsPath}\n`);
        break;
      }
    }
  };
}
