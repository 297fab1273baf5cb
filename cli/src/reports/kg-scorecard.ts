import type { RunResults } from '../scenarios/run-results.js';

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
  /** What shows it: scenarios with their outcome, or the lab itself. */
  evidence: string[];
}

/**
 * KG1-KG11 from a run: a goal is met when every scenario that evidences it ran and passed, not met
 * when one failed, not checked when none ran. Containerization and orchestration are shown by the
 * lab itself: met when it ran on Docker, brought up healthy in dependency order by `w2meet up`.
 */
export function scoreGoals(results: RunResults): GoalScore[] {
  return Object.entries(KNOWLEDGE_GOALS).map(([kg, name]) => {
    if (kg === 'KG10') return { kg, name, status: 'not checked' as const, evidence: ['the knowledge-goals document has no KG10'] };
    if (kg === 'KG2' || kg === 'KG3') {
      const onDocker = results.lab.kind === 'lab' && results.lab.runtime === 'docker';
      const what =
        kg === 'KG2'
          ? 'every component in its own container, built from a Dockerfile'
          : 'containers started in dependency order, each once what it needs is healthy';
      return onDocker
        ? { kg, name, status: 'met' as const, evidence: [`lab ${results.lab.lab} on Docker: ${what}`] }
        : {
            kg,
            name,
            status: 'not checked' as const,
            evidence: [
              `the lab ran ${results.lab.kind === 'url' ? 'elsewhere (--target)' : 'as local processes'}; run it on Docker to show this`,
            ],
          };
    }
    const related = results.scenarios.filter((s) => s.kgs.includes(kg));
    const ran = related.filter((s) => s.status !== 'skipped');
    const evidence = related.map((s) => `${s.name}: ${s.status}${s.status === 'skipped' && s.reason ? ` (${s.reason})` : ''}`);
    if (!ran.length)
      return { kg, name, status: 'not checked' as const, evidence: evidence.length ? evidence : ['no scenario of this run evidences it'] };
    return { kg, name, status: ran.some((s) => s.status === 'failed') ? ('not met' as const) : ('met' as const), evidence };
  });
}
