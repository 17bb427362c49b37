// The enroll bench's raw floor (issue 10): a plain node:http server that answers the enroll request
// with exactly the SQL the project sends — the worker session look-up, the enroll member statement (the activity when its version changed) and the
// grouped claim-and-insert with its audit rows, grouped the same way (platform/gate.ts) — through
// the same driver (pg, marked statements prepared), and nothing else: no framework, no hooks, no
// validation, no rules. The SQL text and parameter order come from the repositories themselves
// (compiled through a Kysely that never executes), so the floor cannot drift from the project.
// Run as a child process: `tsx bench/enroll-raw.ts` with DATABASE_URL and BENCH_POOL; prints `listening <port>`.
import http from 'node:http';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, type CompiledQuery, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { connectionConfig } from '../server/src/db/database.js';
import type { DB } from '../server/src/db/schema.js';
import { prepareMarkedStatements } from '../server/src/db/prepared.js';
import { sessionsRepository } from '../server/src/modules/auth/auth.repository.js';
import { activitiesRepository } from '../server/src/modules/activities/activities.repository.js';
import { rushRepository } from '../server/src/modules/activities/activities.rush.repository.js';
import { GROUPS_PER_BATCH, MAX_GROUP, type RushRow } from '../server/src/modules/activities/activities.rush.js';
import type { DeferredAuditRow } from '../server/src/modules/audit/audit.repository.js';
import { keyedGroups, type GroupOutcome } from '../server/src/platform/gate.js';
import { sm3 } from '../server/src/platform/crypto.js';

const compiler = new PostgresQueryCompiler();
const dummy = new Kysely<DB>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The SQL and parameters a repository call sends (it runs against a driver that answers nothing). */
async function compiled(call: (db: Kysely<DB>) => Promise<unknown>): Promise<CompiledQuery> {
  let out: CompiledQuery | undefined;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      out ??= compiler.compileQuery(args.node, args.queryId);
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  await call(dummy.withPlugin(plugin)).catch(() => undefined);
  if (!out) throw new Error('no query captured');
  return out;
}

/** A fixed-shape statement: its text once, its parameters mapped from sentinel values per call. */
async function fixed(call: (db: Kysely<DB>) => Promise<unknown>, sentinels: string[]) {
  const q = await compiled(call);
  const slots = q.parameters.map((p) => sentinels.indexOf(p as string));
  if (slots.some((s) => s < 0)) throw new Error(`unmapped parameter in ${q.sql.slice(0, 80)}`);
  return { text: q.sql, params: (...values: unknown[]) => slots.map((s) => values[s]) };
}

export async function startRawEnrollServer(databaseUrl: string, poolSize: number) {
  const pool = new pg.Pool({ ...connectionConfig(databaseUrl), max: poolSize });
  prepareMarkedStatements(pool);
  // As Kysely calls the driver (a checked-out client, two arguments), so marked statements run prepared.
  const run = async <R>(text: string, params: unknown[]): Promise<R[]> => {
    const client = await pool.connect();
    try {
      return (await client.query(text, params)).rows as R[];
    } finally {
      client.release();
    }
  };
  const session = await fixed((db) => sessionsRepository.findLiveWorker(db, '\u0001token'), ['\u0001token']);
  const context = await fixed((db) => activitiesRepository.enrollMember(db, '\u0001worker', '\u0001activity'), ['\u0001worker', '\u0001activity']);
  const activityRead = await fixed((db) => activitiesRepository.enrollActivity(db, '\u0001activity'), ['\u0001activity']);
  // As the project keeps them: the activity and its batches, read again when the row's version changes.
  const activities = new Map<string, { version: string; orgId: string; batchId: string }>();

  interface Item {
    claim: { id: string; personId: string; membershipId: string; workerId: string; orgId: string; orgPath: string; details: string; now: Date };
    audit: DeferredAuditRow & { targetId: string };
    activityId: string;
  }
  const group = keyedGroups<Item, RushRow>(
    { width: GROUPS_PER_BATCH, maxGroup: MAX_GROUP, conflictKey: (x) => x.claim.personId },
    async (batchId, items): Promise<GroupOutcome<RushRow>[]> => {
      const q = await compiled((db) =>
        rushRepository.claimAndInsertGroup(
          db,
          { activityId: items[0]!.activityId, batchId, members: items.map((x) => x.claim) },
          items.map((x) => x.audit),
        ),
      );
      try {
        const rows = await run<{ id: string; status: RushRow['status']; waitlisted: number | null }>(q.sql, q.parameters as unknown[]);
        const waitlisted = rows.filter((r) => r.status === 'waitlisted').length;
        let rank = 0;
        return rows.map((r) => ({
          ok: true,
          value: { id: r.id, status: r.status, position: r.status === 'waitlisted' ? Number(r.waitlisted) - waitlisted + ++rank : null },
        }));
      } catch (error) {
        return items.map(() => ({ ok: false, error }));
      }
    },
  );

  const answer = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      void (async () => {
        const m = /^\/api\/worker\/activities\/(\d+)\/enroll$/.exec(req.url ?? '');
        const token = /(?:^|;\s*)gh_wsid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
        if (!m || !token) return answer(res, 404, {});
        const [s] = (await run(session.text, session.params(sm3(`session:${token}`)))) as (
          { id: string; csrf_token: string; worker_id: string; worker_phone_masked: string } | undefined
        )[];
        if (!s || s.csrf_token !== req.headers['x-csrf-token']) return answer(res, 401, {});
        const [c] = (await run(context.text, context.params(s.worker_id, m[1]))) as {
          activity_version: string | null;
          enrollment_id: string;
          person_id: string | null;
          membership_id: string;
          org_id: string;
          org_path: string;
        }[];
        if (!c?.activity_version || !c.person_id) return answer(res, 404, {});
        let act = activities.get(m[1]!);
        if (act?.version !== c.activity_version) {
          const [r] = (await run(activityRead.text, activityRead.params(m[1]))) as {
            activity: { org_id: number } | null;
            batches: { id: number }[] | null;
            version: string;
          }[];
          if (!r?.activity || !r.batches?.length) return answer(res, 404, {});
          act = { version: r.version, orgId: String(r.activity.org_id), batchId: String(r.batches[0]!.id) };
          activities.set(m[1]!, act);
        }
        const batchId = act.batchId;
        const member = { person_id: c.person_id, membership_id: c.membership_id, org_id: c.org_id, org_path: c.org_path };
        const now = new Date();
        const row = await group(batchId, {
          activityId: m[1]!,
          claim: {
            id: c.enrollment_id,
            personId: member.person_id,
            membershipId: member.membership_id,
            workerId: s.worker_id,
            orgId: member.org_id,
            orgPath: member.org_path,
            details: '{}',
            now,
          },
          audit: {
            targetId: c.enrollment_id,
            at: now,
            actor_type: 'worker',
            actor_id: s.worker_id,
            actor_name: s.worker_phone_masked,
            action: 'activity.enroll',
            target_type: 'activity_enrollment',
            org_id: act.orgId,
            ip: req.socket.remoteAddress ?? null,
            request_id: null,
            outcome: 'success',
            detail: JSON.stringify({ activityId: m[1], batchId, mode: 'fcfs' }),
          },
        });
        answer(res, 200, { id: row.id, status: row.status, waitlistPosition: row.position });
      })().catch(() => answer(res, 500, {}));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, close: () => new Promise((r) => server.close(r)).then(() => pool.end()) };
}

if (process.argv[1]?.endsWith('enroll-raw.ts')) {
  const { port } = await startRawEnrollServer(process.env.DATABASE_URL!, Number(process.env.BENCH_POOL ?? 20));
  console.log(`listening ${port}`);
  process.on('SIGTERM', () => process.exit(0));
}
