// Named prepared statements for the hot paths (docs/decisions/008). A statement whose SQL carries
// PREPARED at its start (raw SQL: first; a Kysely select: `.modifyFront(sql.raw(PREPARED))`) runs on PostgreSQL as a named prepared statement: parsed and planned once per
// connection instead of on every call (planning was half of PostgreSQL's CPU per enrollment).
// Only marked statements are prepared: a prepared statement may get a generic plan, which is right
// for lookups by id and wrong for, say, `org_path like $1`, so marking is a decision per query.
import { createHash } from 'node:crypto';
import type pg from 'pg';

export const PREPARED = '/* prepared */';

// Marked statements are a small fixed set: their names are remembered, not hashed on every call.
const names = new Map<string, string>();
const nameOf = (text: string) => {
  let name = names.get(text);
  if (name === undefined) {
    if (names.size > 1000) names.clear();
    name = `gh_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
};

/** Makes the pool's connections run marked statements by name (on connect, once per client). */
export function prepareMarkedStatements(pool: pg.Pool): void {
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text === 'string' && text.slice(0, 40).includes(PREPARED) && (values === undefined || Array.isArray(values)) && args.length <= 2) {
        return query({ name: nameOf(text), text, values });
      }
      return query(...args);
    };
  });
}
