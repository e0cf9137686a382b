// Schema migrations: numbered, applied in order at start, each recorded in
// `schema_migrations` in the same transaction as its change, so a crash mid-way leaves the
// database at the last complete version. A database newer than this code is refused:
// running old code on it could misread what it does not know.

export interface Migration<Apply> {
  /** 1, 2, 3…: never renumbered, never edited once released. */
  version: number;
  name: string;
  up: Apply;
}

export class SchemaTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`the database is at schema version ${found}, but this Relatoría knows versions up to ${known}: run a newer release`);
  }
}

/** The migrations still to apply, in order; throws when the database is newer than the code. */
export function pending<A>(migrations: ReadonlyArray<Migration<A>>, current: number): Array<Migration<A>> {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const latest = migrations.length;
  if (current > latest) throw new SchemaTooNewError(current, latest);
  return migrations.slice(current);
}
