import type Docker from 'dockerode';
import { dockerodeEngine } from '../docker/engine-client.js';
import { dockerClient } from '../docker/engine.js';
import type { ImageMode } from '../docker/lab-images.js';
import { gatewayTunnel } from './engine-here.js';
import { swarmImageSource } from './swarm-images.js';
import { LabRuntime } from '../lifecycle/lab-runtime.js';
import type { LabStatus } from '../runtime.js';
import type { SwarmInstance } from './service-plan.js';
import { SwarmDriver } from './swarm-driver.js';
import { SwarmEngine } from './swarm-engine.js';

export interface SwarmRuntimeOptions {
  docker?: Docker;
  env?: NodeJS.ProcessEnv;
  images?: ImageMode;
  registry?: string;
  exposeInfra?: boolean;
  /** See spread.ts. */
  spread?: boolean;
}

/** The lab's lifecycle on a Docker swarm (see swarm-driver.ts), its images built or pulled as on Docker. */
export class SwarmRuntime extends LabRuntime<SwarmInstance> {
  readonly docker: Docker;
  readonly swarmDriver: SwarmDriver;

  constructor(options: SwarmRuntimeOptions = {}) {
    const env = options.env ?? process.env;
    const docker = options.docker ?? dockerClient(env);
    const mode = options.images ?? 'local';
    const driver = new SwarmDriver({
      swarm: new SwarmEngine(docker),
      engine: dockerodeEngine(docker, env),
      mode,
      exposeInfra: options.exposeInfra ?? false,
      spread: options.spread ?? false,
      env,
      images: swarmImageSource(docker, mode, options.registry),
    });
    super(driver);
    this.docker = docker;
    this.swarmDriver = driver;
    this.swarm = new SwarmEngine(docker);
  }

  private readonly swarm: SwarmEngine;

  /** The lab's status, and the swarm's nodes it may run on. */
  override async status(lab: string): Promise<LabStatus | null> {
    const status = await super.status(lab);
    if (!status) return null;
    const nodes = await this.swarm.nodes().catch(() => []);
    const remote = this.swarmDriver.remote;
    return {
      ...status,
      nodes: nodes.map((n) => `${n.hostname} (${n.role}${n.state === 'ready' ? '' : `, ${n.state}`})`),
      ...(remote && status.gatewayUrl
        ? { gatewayVia: gatewayTunnel(remote, status.gatewayUrl, await this.swarmDriver.infraPorts(lab).catch(() => ({}))) }
        : {}),
    };
  }
}
