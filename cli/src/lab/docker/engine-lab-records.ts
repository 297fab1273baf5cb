import type { DriverInstance, DriverLab } from '../lifecycle/driver.js';
import type { LabSecrets } from '../spec.js';
import type { EngineClient } from './engine-client.js';
import type { ImageMode } from './lab-images.js';
import { readRecord, writeRecord } from './lab-record.js';
import { volumeCredentials } from './volume-credentials.js';

/**
 * What a lab on an Engine (Docker or swarm) keeps beside its containers: its record (created, the
 * images it runs, each instance's timeline, where its request logs are), and the credentials its
 * volumes carry. One save at a time: two at once would each write what the other had not read.
 */
export class EngineLabRecords {
  private saving: Promise<void> = Promise.resolve();

  constructor(
    private readonly engine: EngineClient,
    private readonly mode: ImageMode,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  save(lab: DriverLab<DriverInstance>): Promise<void> {
    this.saving = this.saving
      .catch(() => {})
      .then(async () => {
        const record = await readRecord(lab.name, this.env).catch(() => null);
        await writeRecord(
          lab.name,
          {
            createdAt: lab.createdAt,
            images: record?.images ?? this.mode,
            timeline: Object.fromEntries(lab.instances.map((i) => [i.id, i.timeline])),
            ...(record?.requestLogs ? { requestLogs: record.requestLogs } : {}),
          },
          this.env,
        );
      });
    return this.saving;
  }

  async credentials(lab: string): Promise<LabSecrets | null> {
    if (!(await this.engine.ping())) return null;
    return volumeCredentials(this.engine, lab, this.env);
  }
}

/** rabbitmqctl inside the broker's container, as its own user (whose home holds the cookie). */
export function rabbitmqctlIn(engine: EngineClient, container: string, args: string[], nodeName: string): Promise<void> {
  return engine.exec(container, ['rabbitmqctl', ...args], {
    user: 'rabbitmq',
    env: ['HOME=/var/lib/rabbitmq', `RABBITMQ_NODENAME=${nodeName}`],
  });
}
