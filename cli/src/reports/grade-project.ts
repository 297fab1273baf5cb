import { LabFailedError, UsageError } from '../errors.js';
import { checkComposeFile, checkProjectName } from '../lab/compose-project/project-name.js';
import { composeDown, composeProjectExists, composeUp, projectNameFor } from '../lab/compose-project/compose-command.js';
import { dockerClient } from '../lab/docker/engine.js';
import { dockerodeEngine } from '../lab/docker/engine-client.js';
import { checkComposePolicy } from '../lab/compose-project/check-compose-policy.js';

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
  options: { compose?: string; project?: string; allowHostAccess?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Promise<GradedProject> {
  if (options.compose) checkComposeFile(options.compose);
  const project = checkProjectName(options.project ?? projectNameFor(options.compose!));
  // A student's file is untrusted: checked before the Engine is even asked about it.
  if (options.compose) {
    const accepted = await checkComposePolicy({ file: options.compose, project, env, allowHostAccess: options.allowHostAccess });
    for (const finding of accepted) process.stderr.write(`grade: accepted by --allow-host-access: ${finding}\n`);
  }
  const engine = dockerodeEngine(dockerClient(env), env);
  await engine.requireReachable();
  if (await composeProjectExists(engine, project)) {
    // What runs under that name may not be what FILE says: it is not graded in FILE's place.
    if (options.compose)
      throw new UsageError(
        `compose project ${project} is up already, so what is graded would not be ${options.compose}`,
        `grade what is up with --project ${project} alone, or take it down first (docker compose -p ${project} down)`,
      );
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
