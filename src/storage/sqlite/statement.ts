import type BetterSqlite3 from 'better-sqlite3';

type Row = Record<string, unknown>;

/**
 * A function that makes the row object of a statement's columns from their values: an object
 * literal of one fixed shape, built at the speed of JavaScript. (better-sqlite3 builds each row
 * through V8's embedder API, one property and one interned name at a time: twice as slow for a
 * 25-column message row.) The names are SQL's own column names, quoted as JSON.
 */
function rowMaker(names: readonly string[]): (values: unknown[]) => Row {
  return new Function('v', `return { ${names.map((n, i) => `${JSON.stringify(n)}: v[${i}]`).join(', ')} };`) as (values: unknown[]) => Row;
}

/** Rows a connection's statements have written so far (rows returned by a write with RETURNING count too). */
export interface Writes {
  count: number;
}

/**
 * A prepared statement that reads its rows as arrays and makes them into objects itself (see
 * rowMaker), and counts the rows it writes in `writes`. Same calls as better-sqlite3's: run, get
 * and all.
 *
 * The store's statements write a bound LIMIT as an expression, `LIMIT +@limit`, never as the
 * bare parameter: SQLite (as better-sqlite3 builds it, with STAT4) plans with the value of a bare
 * parameter there, so every new binding, at every run, made it prepare the statement again: 2 to
 * 13 µs a run, more than the rest of a claim's look-up. An expression is not planned with.
 */
export class Statement {
  readonly #stmt: BetterSqlite3.Statement;
  readonly #writes: Writes | undefined;
  #names: string[] = [];
  #row: (values: unknown[]) => Row = () => ({});

  constructor(stmt: BetterSqlite3.Statement, writes?: Writes) {
    this.#stmt = stmt;
    this.#writes = stmt.readonly ? undefined : writes;
    if (stmt.reader) {
      stmt.raw(true);
      this.#shape(stmt.columns().map((c) => c.name));
    }
  }

  #shape(names: string[]): void {
    this.#names = names;
    this.#row = rowMaker(names);
  }

  /** A statement SQLite prepared again (the schema changed under `SELECT *`) may have other columns. */
  #make = (values: unknown[]): Row => {
    if (values.length !== this.#names.length) this.#shape(this.#stmt.columns().map((c) => c.name));
    return this.#row(values);
  };

  run(...params: unknown[]): BetterSqlite3.RunResult {
    const result = this.#stmt.run(...params);
    if (this.#writes) this.#writes.count += result.changes;
    return result;
  }

  get(...params: unknown[]): unknown {
    const values = this.#stmt.get(...params) as unknown[] | undefined;
    if (values === undefined) return undefined;
    if (this.#writes) this.#writes.count += 1;
    return this.#make(values);
  }

  all(...params: unknown[]): unknown[] {
    const rows = this.#stmt.all(...params) as unknown[][];
    if (this.#writes) this.#writes.count += rows.length;
    return rows.map(this.#make);
  }
}
