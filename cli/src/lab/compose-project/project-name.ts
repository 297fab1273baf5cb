import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../../errors.js';

/** Compose's own rule for a project name: lower-case letters, digits, dashes and underscores. */
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function checkProjectName(name: string): string {
  if (!PROJECT_NAME.test(name)) {
    throw new UsageError(
      `--project "${name}" is not a compose project name`,
      'a name is lower-case letters, digits, dashes and underscores, starting with a letter or digit (as `docker compose ls` shows it)',
    );
  }
  return name;
}

/** A compose file that is there and is a file, before anything is brought up from it. */
export function checkComposeFile(file: string): string {
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new UsageError(`--compose ${file}: no such file`, "give the path of the deployment's own docker-compose.yml");
  }
  return file;
}
