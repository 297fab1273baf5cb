import type { FaultVerb, Runtime } from '../lab/runtime.js';
import type { FaultRecord } from './run-results.js';

/** The verb that undoes a fault; null when the fault leaves nothing to undo. */
export function undoVerb(verb: FaultVerb): FaultVerb | null {
  if (verb === 'stop' || verb === 'kill') return 'start';
  if (verb === 'pause') return 'unpause';
  if (verb === 'alarm') return 'unalarm';
  return null;
}

/**
 * Applies faults through the runtime and remembers what is still broken, so the scenario can put
 * the lab back whatever happened: a stopped service is started again, a paused one unpaused.
 */
export class FaultLedger {
  /** Target → the verb that will undo it, in the order the faults were applied. */
  private readonly open = new Map<string, FaultVerb>();
  /** Undo actions of other faults (a statement on Postgres), by what they undo. */
  private readonly others = new Map<string, () => Promise<void>>();

  constructor(
    private readonly runtime: Runtime,
    private readonly lab: string,
    private readonly now: () => number,
    private readonly onFault: (record: FaultRecord) => void,
  ) {}

  async apply(verb: FaultVerb, target: string, undo = false): Promise<void> {
    const atMs = this.now();
    const reverse = undoVerb(verb);
    try {
      await this.runtime.fault(this.lab, verb, target);
    } catch (err) {
      // A fault on several replicas can fail on one and hold on the others: it is undone all the
      // same (the undoing verbs leave alone what is already as they would make it).
      if (reverse) this.open.set(target, reverse);
      this.onFault({ verb, target, atMs, undo, ok: false, error: (err as Error).message });
      throw err;
    }
    this.onFault({ verb, target, atMs, undo, ok: true });
    if (reverse) this.open.set(target, reverse);
    else {
      // Starting or unpausing a component also mends faults on each of its replicas.
      for (const t of [...this.open.keys()]) if (t === target || t.startsWith(`${target}#`)) this.open.delete(t);
    }
  }

  /** Remembers how to undo a fault that is not a runtime verb. */
  remember(label: string, undo: () => Promise<void>): void {
    this.others.set(label, undo);
  }

  /** Runs a remembered undo now and forgets it; false when there is none under that label. */
  async undoNow(label: string): Promise<boolean> {
    const undo = this.others.get(label);
    if (!undo) return false;
    this.others.delete(label);
    await undo();
    return true;
  }

  /** Undoes every fault still open, newest first; reports the ones that could not be undone. */
  async undoAll(): Promise<string[]> {
    const problems: string[] = [];
    for (const [label, undo] of [...this.others].reverse()) {
      await undo().catch((err: Error) => problems.push(`${label}: ${err.message}`));
    }
    this.others.clear();
    for (const [target, verb] of [...this.open].reverse()) {
      try {
        await this.apply(verb, target, true);
      } catch (err) {
        problems.push(`${verb} ${target}: ${(err as Error).message}`);
      }
    }
    this.open.clear();
    return problems;
  }

  get openFaults(): string[] {
    return [...this.open.keys()];
  }
}
