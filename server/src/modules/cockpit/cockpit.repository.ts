// The cockpit's live feed: the newest joins and finished cases in a subtree, counted per minute and per
// place (the two path levels below the asked org) — counts and union names only, never a person.
import { sql } from 'kysely';
import type { Executor } from '../audit/audit.repository.js';

/** Newest rows taken from each source before grouping (a campaign burst stays one cheap query). */
const PER_SOURCE = 1000;

export type FeedKind = 'join' | 'application' | 'ticket' | 'mediation';

export const cockpitRepository = {
  /** Events since `since` under `path`, grouped by kind, minute and the child / grandchild of the asked org. */
  async feed(db: Executor, path: string, since: Date, limit: number) {
    const under = `${path}%`;
    const seg = (n: number) => sql<string>`split_part(substr(x.org_path, ${path.length + 1}), '/', ${n})`;
    const r = await sql<{ kind: FeedKind; at: Date; child: string; grandchild: string; n: number }>`
      select x.kind, date_trunc('minute', x.at) as at, ${seg(1)} as child, ${seg(2)} as grandchild, count(*)::int as n
      from (
        (select 'join' as kind, e.at, o.path as org_path from membership_events e join orgs o on o.id = e.org_id
          where e.type = 'join' and e.at >= ${since} and o.path like ${under} order by e.at desc limit ${PER_SOURCE})
        union all
        (select 'application', a.finished_at, a.org_path from applications a
          where a.finished_at >= ${since} and a.status in ('approved', 'rejected') and a.org_path like ${under} order by a.finished_at desc limit ${PER_SOURCE})
        union all
        (select 'ticket', t.closed_at, o.path from rights_tickets t join orgs o on o.id = t.org_id
          where t.closed_at >= ${since} and o.path like ${under} order by t.closed_at desc limit ${PER_SOURCE})
        union all
        (select 'mediation', k.updated_at, o.path from rights_cases k join orgs o on o.id = k.org_id
          where k.kind = 'mediation' and k.status = 'succeeded' and k.updated_at >= ${since} and o.path like ${under} order by k.updated_at desc limit ${PER_SOURCE})
      ) x
      group by 1, 2, 3, 4
      order by 2 desc, 1
      limit ${limit}`.execute(db);
    return r.rows;
  },

  async names(db: Executor, ids: readonly string[]) {
    if (!ids.length) return [];
    return db.selectFrom('orgs').select(['id', 'name']).where('id', 'in', ids).execute();
  },
};
