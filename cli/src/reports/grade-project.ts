import { LabFailedError } from '../errors.js';
import { checkComposeFile, checkProjectName } from '../lab/compose-project/project-name.js';
import { composeDown, composeProjectExists, composeUp, projectNameFor } from '../lab/compose-project/compose-command.js';
import { dockerClient } from '../lab/docker/engine.js';
import { dockerodeEngine } from '../lab/docker/engine-client.js';

export interface GradedProject {
  project: string;
  /** Takes it down when this grade brought it up; does nothing to a project that was already there. */
  release(): Promise<void>;
}

/**
 * A deployment's own compose project for a grade: the one already there (by its project name), or
 * brought up from its file with the machine's compose, never changing the file. Only what was
 * brought up here is taken down after.
 */
export async function projectForGrade(
  options: { compose?: string; project?: string },
  env: NodeJS.ProcessEnv = process.env,
): Promise<GradedProject> {
  if (options.compose) checkComposeFile(options.compose);
  const project = checkProjectName(options.project ?? projectNameFor(options.compose!));
  const engine = dockerodeEngine(dockerClient(env), env);
  await engine.requireReachable();
  if (await composeProjectExists(engine, project)) {
    process.stderr.write(`grade: using compose project ${project}, already there; it stays as it is afterwards\n`);
    return { project, release: async () => {} };
  }
  if (!options.compose) {
    throw new LabFailedError(`no container of compose project ${project} is there, and no --compose file was given to bring it up`);
  }
  const file = options.compose;
  process.stderr.write(`grade: bringing compose project ${project} up from ${file}\n`);
  try {
    await composeUp({ file, project, env, onLine: (line) => process.stderr.write(`  ${line}\n`) });
  } catch (err) {
    await composeDown({ file, project, env }).catch(() => {});
    throw new LabFailedError(err instanceof Error ? err.message : String(err));
  }
  return {
    project,
    release: async () => {
      process.stderr.write(`grade: taking compose project ${project} down\n`);
      await composeDown({ file, project, env });
    },
  };
}
