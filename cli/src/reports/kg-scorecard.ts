import type { LabDescription, RunResults } from '../scenarios/run-results.js';
import type { ClaimVerdict } from './claim-verdict.js';

/** The knowledge goals as the document names them; KG10 is not in it. */
export const KNOWLEDGE_GOALS: Record<string, string> = {
  KG1: 'Endpoint definitions',
  KG2: 'Containerization',
  KG3: 'Container orchestration',
  KG4: 'API gateway',
  KG5: 'Load balancing',
  KG6: 'Reliability, scalability, maintainability',
  KG7: 'Service communication',
  KG8: 'Caching strategy (cache-aside)',
  KG9: 'Observability (logging and tracing)',
  KG10: '(not in the document)',
  KG11: 'Asynchronous messaging',
};

export type GoalStatus = 'met' | 'not met' | 'not checked';

export interface GoalScore {
  kg: string;
  name: string;
  status: GoalStatus;
  /** What shows it: scenarios with their outcome, claims with their verdict, or the lab itself. */
  evidence: string[];
}

/** The runtimes whose lab is containers (one Engine's, or a swarm's services). */
const onContainers = (runtime: string | undefined) => runtime === 'docker' || runtime === 'swarm';

type Shown = { shown: true; evidence: string[] } | { shown: false; why: string; evidence: string[] };

/** KG2 from the lab itself: every instance a running, healthy container of an image w2meet built or pulled. */
function containerised(lab: LabDescription): Shown {
  const instances = lab.instances ?? [];
  if (lab.kind !== 'lab' || !onContainers(lab.runtime) || !instances.length)
    return {
      shown: false,
      why: `the lab ran ${lab.kind === 'url' ? 'elsewhere (--target)' : 'as local processes'}; run it on Docker to show this`,
      evidence: [],
    };
  const bad = instances.filter((i) => !i.image || i.state !== 'running' || i.health !== 'healthy');
  const images = new Set(instances.map((i) => i.image).filter(Boolean));
  const evidence = [`${instances.length} containers from ${images.size} images (${[...images].join(', ')})`];
  if (bad.length)
    return {
      shown: false,
      why: `not every component ran healthy in a container: ${bad.map((i) => `${i.id} ${i.state}/${i.health}`).join(', ')}`,
      evidence,
    };
  return { shown: true, evidence: [...evidence, 'every one running and healthy'] };
}

/** KG3 from the lab itself: each container started only once what it waits for was ready, and the gateway the one way in. */
function orchestrated(lab: LabDescription): Shown {
  const shown = containerised(lab);
  if (!shown.shown) return shown;
  const instances = lab.instances!;
  const byId = new Map(instances.map((i) => [i.id, i]));
  const early: string[] = [];
  for (const i of instances) {
    for (const d of i.dependsOn)
      if ((i.started ?? -1) < (byId.get(d)?.healthy ?? Number.POSITIVE_INFINITY)) early.push(`${i.id} before ${d} was healthy`);
    for (const d of i.startsAfter)
      if ((i.started ?? -1) < (byId.get(d)?.started ?? Number.POSITIVE_INFINITY)) early.push(`${i.id} before ${d} started`);
  }
  const gateway = instances.find((i) => i.id === 'gateway');
  // A published port shows as the host's address (loopback or any): a service must have none.
  const publishedServices = instances.filter(
    (i) => i.id !== 'gateway' && /^(127\.0\.0\.1|0\.0\.0\.0|\[::\]):/.test(i.address) && !/^(postgres|redis|rabbitmq)/.test(i.id),
  );
  if (early.length) return { shown: false, why: `started out of order: ${early.join(', ')}`, evidence: shown.evidence };
  if (!gateway?.address.startsWith('127.0.0.1:'))
    return { shown: false, why: 'the gateway is not published on 127.0.0.1', evidence: shown.evidence };
  if (publishedServices.length)
    return {
      shown: false,
      why: `services reachable past the gateway: ${publishedServices.map((i) => i.id).join(', ')}`,
      evidence: shown.evidence,
    };
  const edges = instances.reduce((n, i) => n + i.dependsOn.length + i.startsAfter.length, 0);
  return {
    shown: true,
    evidence: [
      `${instances.length} containers started in dependency order (${edges} waits met, timed)`,
      `the gateway alone is the way in, at ${gateway.address}`,
    ],
  };
}

/**
 * KG1-KG11 from a run. A goal is met only when every scenario that evidences it ran and passed
 * and every claim about it holds; not met when a scenario failed or a claim fails; not checked
 * otherwise (a scenario skipped or not run, a claim not measured or inconclusive), with what is
 * missing. Containerization and orchestration are read from the lab itself, not its runtime's name.
 */
export function scoreGoals(results: RunResults, verdicts: ClaimVerdict[] = []): GoalScore[] {
  return Object.entries(KNOWLEDGE_GOALS).map(([kg, name]): GoalScore => {
    if (kg === 'KG10') return { kg, name, status: 'not checked', evidence: ['the knowledge-goals document has no KG10'] };
    if (kg === 'KG2' || kg === 'KG3') {
      const shown = kg === 'KG2' ? containerised(results.lab) : orchestrated(results.lab);
      return shown.shown
        ? { kg, name, status: 'met', evidence: shown.evidence }
        : { kg, name, status: onContainers(results.lab.runtime) ? 'not met' : 'not checked', evidence: [shown.why, ...shown.evidence] };
    }
    const related = results.scenarios.filter((s) => s.kgs.includes(kg));
    // Claims of scenarios outside the run count too: a goal is not met by the part of it a run chose.
    const claims = verdicts.filter((v) => v.kgs.includes(kg));
    const evidence = [
      ...related.map((s) => `${s.name}: ${s.status}${s.status === 'skipped' && s.reason ? ` (${s.reason})` : ''}`),
      ...claims.map((v) => `claim ${v.id}: ${v.status === 'not-measured' ? 'not measured' : v.status}`),
    ];
    if (!related.length && !claims.length) return { kg, name, status: 'not checked', evidence: ['no scenario of this run evidences it'] };
    if (related.some((s) => s.status === 'failed') || claims.some((v) => v.status === 'fails'))
      return { kg, name, status: 'not met', evidence };
    if (related.some((s) => s.status !== 'passed') || claims.some((v) => v.status !== 'holds'))
      return { kg, name, status: 'not checked', evidence };
    return { kg, name, status: 'met', evidence };
  });
}
