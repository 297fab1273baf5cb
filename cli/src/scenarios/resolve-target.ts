import { TargetError } from '../errors.js';
import { checkProjectName } from '../lab/compose-project/project-name.js';
import { runtimeForLab } from '../lab/open-lab.js';
import type { LabStatus } from '../lab/runtime.js';
import { loadProfile } from '../profiles/load-profile.js';
import { labTarget, projectTarget, urlTarget, type EngineTarget } from './engine-target.js';

export interface TargetOptions {
  lab: string;
  /** Another deployment's gateway URL (a path after the host is a prefix before every path). */
  target?: string;
  /** A built-in profile name or a profile file. */
  profile?: string;
  /** A compose project already up: its containers are reached through the Engine. */
  project?: string;
}

/**
 * What a run measures: a w2meet lab by name (the default), a URL, or a compose project (its
 * gateway's published port unless --target says otherwise), each shaped by its profile.
 */
export async function resolveTarget(options: TargetOptions): Promise<{ target: EngineTarget; status: () => Promise<LabStatus | null> }> {
  const profile = await loadProfile(options.profile);
  if (options.project) {
    const { composeProjectRuntime, requireEngine } = await import('../lab/compose-project/open-project.js');
    const project = checkProjectName(options.project);
    const runtime = composeProjectRuntime(project);
    await requireEngine();
    const status = await runtime.status(project);
    if (!status) {
      throw new TargetError(
        `no container of compose project "${project}" is there`,
        'bring it up first (`docker compose -p NAME up -d`, or `w2meet grade --compose FILE`), or check the name with `docker compose ls`',
      );
    }
    const url = options.target ?? profile.url ?? status.gatewayUrl;
    if (!url) {
      throw new TargetError(
        `compose project "${project}" publishes no port for a service named gateway`,
        'pass --target URL with the address its gateway answers at',
      );
    }
    return { target: projectTarget(url, profile, project, runtime), status: () => runtime.status(project) };
  }
  const url = options.target ?? profile.url;
  if (url) return { target: urlTarget(url, profile), status: async () => null };
  const runtime = await runtimeForLab(options.lab);
  const { target } = await labTarget(options.lab, runtime, profile);
  return { target, status: () => runtime.status(options.lab) };
}
