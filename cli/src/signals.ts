/**
 * Ctrl-C and SIGTERM as an AbortSignal, the one place the CLI listens for them: long operations
 * take the signal, stop, and tear down what they started.
 */
export function onInterrupt(message?: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    if (message) process.stderr.write(`\n${message}\n`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
