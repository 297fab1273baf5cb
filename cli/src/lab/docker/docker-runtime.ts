import type Docker from 'dockerode';
import { LabRuntime } from '../lifecycle/lab-runtime.js';
import type { DockerInstance } from './container-plan.js';
import { DockerDriver } from './docker-driver.js';
import { dockerodeEngine } from './engine-client.js';
import { DockerUnavailableError } from '../../errors.js';
import { dockerAddress, dockerClient, pingDocker } from './engine.js';
import type { ImageMode } from './lab-images.js';
import { labImageSource } from './image-source.js';

export interface DockerRuntimeOptions {
  docker?: Docker;
  env?: NodeJS.ProcessEnv;
  images?: ImageMode;
  registry?: string;
  exposeInfra?: boolean;
}

/** The lab's lifecycle on a Docker Engine (see docker-driver.ts), its images built or pulled as `images` says. */
export class DockerRuntime extends LabRuntime<DockerInstance> {
  readonly docker: Docker;

  constructor(options: DockerRuntimeOptions = {}) {
    const env = options.env ?? process.env;
    const docker = options.docker ?? dockerClient(env);
    const mode = options.images ?? 'local';
    super(
      new DockerDriver({
        engine: dockerodeEngine(docker, env),
        mode,
        exposeInfra: options.exposeInfra ?? false,
        env,
        images: labImageSource(docker, mode, options.registry),
      }),
    );
    this.docker = docker;
  }
}

/** The Docker client the CLI uses, or a clear error when no daemon answers. */
export async function dockerForCli(env: NodeJS.ProcessEnv = process.env): Promise<Docker> {
  const docker = dockerClient(env);
  if (!(await pingDocker(docker))) throw new DockerUnavailableError(dockerAddress(env));
  return docker;
}
