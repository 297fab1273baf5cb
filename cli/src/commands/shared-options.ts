import { InvalidArgumentError, Option, type Command } from 'commander';
import { checkLabName } from '../lab/open-lab.js';

export interface LabOption {
  lab: string;
}

/**
 * Every command that acts on a lab takes --lab, defaulting to W2MEET_LAB or `default`. Commander
 * parses only what is typed, not a default, so the name is checked again before the action runs:
 * W2MEET_LAB=.. is refused like --lab .. is.
 */
export function withLab(command: Command): Command {
  return command
    .addOption(
      new Option('--lab <name>', 'which lab (default: W2MEET_LAB, else "default")')
        .default(process.env.W2MEET_LAB ?? 'default')
        .argParser((v) => checkLabName(v, '--lab')),
    )
    .hook('preAction', (cmd) => {
      const source = cmd.getOptionValueSource('lab');
      checkLabName(cmd.opts().lab as string, source === 'default' && process.env.W2MEET_LAB !== undefined ? 'W2MEET_LAB' : '--lab');
    });
}

export function withJson(command: Command): Command {
  return command.option('--json', 'print machine-readable JSON on stdout', false);
}

/** A gateway port on 127.0.0.1 for the commands that bring a lab up; 0 picks a free one. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InvalidArgumentError(`--port needs a port number, got "${value}"`);
  return port;
}
