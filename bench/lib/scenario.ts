// What a scenario is and what it reports: its figures as printed text, each target
// with where we stand, and failures (lost updates, clients that do not converge,
// errors that make the figures meaningless), which make `npm run bench` exit non-zero.

export interface RunOptions {
  /** Shorter loads, for a quick look (not for RESULTS.md). */
  quick: boolean;
  /** PostgreSQL for the durable-writes scenario, when set. */
  databaseUrl: string | null;
  log(line: string): void;
}

export interface Check {
  target: string;
  /** What we measured, formatted. */
  value: string;
  /** null when it could not be measured (e.g. a renderer that does not exist yet). */
  met: boolean | null;
}

export interface ScenarioReport {
  figures: string;
  checks: Check[];
  failures: string[];
}

export interface Scenario {
  name: string;
  title: string;
  run(opts: RunOptions): Promise<ScenarioReport>;
}

export const check = (target: string, value: string, met: boolean | null): Check => ({ target, value, met });
