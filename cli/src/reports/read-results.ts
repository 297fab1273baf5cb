import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NoRunError, ResultsFileError } from '../errors.js';
import { latestRunDir } from '../scenarios/results-writer.js';
import { RESULTS_SCHEMA, type RunResults } from '../scenarios/run-results.js';

/** A run folder (or its results.json) given on the command line, or the latest run. */
export async function resolveRunDir(given: string | undefined, reportsDir: string): Promise<string> {
  if (!given) {
    const latest = await latestRunDir(reportsDir);
    if (!latest)
      throw new NoRunError(`no run in ${reportsDir}`, 'run `w2meet scenario run` (or `w2meet grade`) first, or name a run folder');
    return latest;
  }
  // A run id, as `scenario run` printed it, names a folder of the reports folder it wrote to.
  const found = existsSync(given) ? given : existsSync(join(reportsDir, given)) ? join(reportsDir, given) : null;
  if (!found)
    throw new NoRunError(
      `${given} is neither a run folder nor a run id in ${reportsDir}`,
      `name a run folder under ${reportsDir} or its results.json`,
    );
  return statSync(found).isDirectory() ? found : join(found, '..');
}

/** A results file, refused with a clear message when it is not one this version can read. */
export async function readResults(runDir: string): Promise<RunResults> {
  const path = join(runDir, 'results.json');
  let data: RunResults;
  try {
    data = JSON.parse(await readFile(path, 'utf8')) as RunResults;
  } catch (err) {
    throw new ResultsFileError(
      `${path} is not a readable results file (${(err as Error).message})`,
      'name the folder of a run written by `w2meet scenario run`',
    );
  }
  if (data.schema !== RESULTS_SCHEMA) {
    throw new ResultsFileError(
      `${path} is of schema ${JSON.stringify(data.schema)}, this w2meet reads ${RESULTS_SCHEMA}`,
      'build the report with the w2meet version that wrote the run',
    );
  }
  return data;
}
