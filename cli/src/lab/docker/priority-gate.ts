/**
 * Lets a few tasks through at a time, the most urgent first among those waiting. The Docker Engine
 * starts containers nearly one at a time anyway (about 0.7 s each on a small machine, longer while
 * the lab boots), so which one it starts first decides how long the start-up takes: the slowest
 * boot should not queue behind containers nothing waits for.
 */
export class PriorityGate {
  private running = 0;
  private readonly waiting: { priority: number; order: number; go: () => void }[] = [];
  private arrivals = 0;

  constructor(private readonly slots: number) {
    if (slots < 1) throw new Error('a gate needs at least one slot');
  }

  /**
   * Runs `task` once a slot is free and no more urgent task (lower `priority`) is waiting. Slots are
   * handed out on the next turn of the event loop, so tasks that arrive together (everything with
   * nothing to wait for, at the start) are taken in priority order, not in arrival order.
   */
  async run<T>(priority: number, task: () => Promise<T>): Promise<T> {
    await new Promise<void>((go) => {
      this.waiting.push({ priority, order: this.arrivals++, go });
      this.waiting.sort((a, b) => a.priority - b.priority || a.order - b.order);
      setImmediate(() => this.handOut());
    });
    try {
      return await task();
    } finally {
      this.running--;
      this.handOut();
    }
  }

  private handOut(): void {
    while (this.running < this.slots && this.waiting.length > 0) {
      this.running++;
      this.waiting.shift()!.go();
    }
  }
}
