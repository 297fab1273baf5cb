import type { StepKind } from './scenario-types.js';
import type { CheckResult, FaultRecord, RunResults, ScenarioResult, StepResult } from './run-results.js';

/**
 * What the engine tells its listeners (the progress printer, the results writer, the dashboard).
 * Listeners only listen: nothing they do changes a run.
 */
export type EngineEvent =
  | { type: 'run-start'; runId: string; scenarios: string[]; gatewayUrl: string }
  | { type: 'scenario-start'; scenario: string; steps: number }
  | { type: 'step-start'; scenario: string; step: string; kind: StepKind }
  | { type: 'sample'; scenario: string; step: string; latencyMs: number; status: number; cache?: string }
  | { type: 'step-end'; scenario: string; result: StepResult }
  | { type: 'fault'; scenario: string; fault: FaultRecord }
  | { type: 'check'; scenario: string; result: CheckResult }
  | { type: 'scenario-end'; result: ScenarioResult }
  | { type: 'run-end'; results: RunResults; resultsPath?: string };

export type EngineListener = (event: EngineEvent) => void;

/** Fans events out; a listener that throws is dropped from that event, never from the run. */
export function fanOut(listeners: EngineListener[]): EngineListener {
  return (event) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        /* a broken display must not stop a measurement */
      }
    }
  };
}
