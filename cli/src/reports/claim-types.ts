/** One latency distribution of a run: the raw histogram a scenario step kept. */
export interface HistogramRef {
  scenario: string;
  step: string;
  histogram: string;
  label?: string;
}

export type ClaimTest =
  | { kind: 'bound'; of: HistogramRef; op: '<' | '<=' | '>' | '>='; value: number }
  | { kind: 'relation'; a: HistogramRef; b: HistogramRef; op: '<' | '<=' | '>' | '>='; factor: number }
  | { kind: 'value'; scenario: string; metric: string; op: '<' | '<=' | '>' | '>=' | '=='; value: number }
  | { kind: 'steps'; scenario: string; steps: string[] };

export interface Claim {
  id: string;
  kgs: string[];
  as_written: string;
  documented?: { value: number; unit: string; note?: string };
  measured_as: string;
  /** @default 30 */
  min_n?: number;
  test: ClaimTest;
}
