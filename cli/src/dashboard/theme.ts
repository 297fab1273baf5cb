/** Colours, or none at all under NO_COLOR (no-color.org): every component takes its colours from here. */
export interface Theme {
  ok?: string;
  bad?: string;
  warn?: string;
  dim: boolean;
  accent?: string;
}

export function theme(env: NodeJS.ProcessEnv = process.env): Theme {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return { dim: false };
  return { ok: 'green', bad: 'red', warn: 'yellow', dim: true, accent: 'cyan' };
}
