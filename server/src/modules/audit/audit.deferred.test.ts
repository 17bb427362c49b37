// The deferred audit chain (docs/decisions/008): single-statement writes leave their audit row
// unsealed; the sealer links such rows into chain 16 in seal order; verify walks that order.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { DEFERRED_CHAIN, type Executor } from './audit.repository.js';

let t: TestApp;
let auditor: Client;

beforeAll(async () => {
  t = await createTestApp();
  auditor = await t.login('auditor');
});
afterAll(async () => t?.close());

/** A write that records its audit row in its own statement, as the enroll path does. */
function deferredWrite(db: Executor, targetId: string, action = 'test.deferred') {
  const audit = t.services.audit.deferredInsertFrom('e', {
    actorType: 'system',
    actorName: '测试',
    action,
    targetType: 'test',
    outcome: 'success',
    detail: { n: targetId },
  });
  return sql`with e as (select ${targetId}::text as id) ${audit}`.execute(db);
}

const rowsOf = (action: string) =>
  t.db.selectFrom('audit_log').select(['id', 'hash', 'prev_hash', 'seq', 'chain', 'target_id']).where('action', '=', action).orderBy('id').execute();

describe('the deferred audit chain', () => {
  it('a row arrives unsealed with its write and is linked by the sealer; verify passes', async () => {
    await t.db.transaction().execute(async (trx) => {
      await deferredWrite(trx, '1', 'test.first');
      // not yet committed, so no sealer can have seen it
      const [row] = await trx.selectFrom('audit_log').select(['hash', 'prev_hash', 'seq', 'chain']).where('action', '=', 'test.first').execute();
      expect(row).toEqual({ hash: null, prev_hash: null, seq: null, chain: DEFERRED_CHAIN });
    });
    await deferredWrite(t.db, '2', 'test.first');
    await deferredWrite(t.db, '3', 'test.first');
    await t.services.audit.sealDeferred();
    const rows = await rowsOf('test.first');
    expect(rows.map((r) => r.target_id)).toEqual(['1', '2', '3']);
    expect(rows.every((r) => r.hash !== null && r.seq !== null)).toBe(true);
    // linked in seal order: each names the previous row's hash
    const bySeq = [...rows].sort((a, b) => Number(a.seq) - Number(b.seq));
    for (let i = 1; i < bySeq.length; i++) expect(bySeq[i]!.prev_hash).toBe(bySeq[i - 1]!.hash);
    const head = await t.db.selectFrom('audit_chain_head').selectAll().where('chain', '=', DEFERRED_CHAIN).executeTakeFirstOrThrow();
    expect(head.last_hash).toBe(bySeq[bySeq.length - 1]!.hash);
    expect((await auditor.get('/api/audit/verify')).json()).toMatchObject({ ok: true, problems: [] });
  });

  it('a row that commits after a later id was sealed is linked after it (seal order, not id order)', async () => {
    const { rows } = await sql<{ id: string }>`select nextval('audit_log_id_seq')::text as id`.execute(t.db);
    const reserved = rows[0]!.id;
    await deferredWrite(t.db, 'later-id', 'test.order');
    await t.services.audit.sealDeferred();
    // the "slow" statement: its id was taken first, it commits last
    await sql`
      insert into audit_log (id, at, actor_type, actor_name, action, target_type, target_id, outcome, chain)
      values (${reserved}, now(), 'system', '测试', 'test.order', 'test', 'earlier-id', 'success', ${DEFERRED_CHAIN})`.execute(t.db);
    await t.services.audit.sealDeferred();
    const order = await rowsOf('test.order');
    const earlier = order.find((r) => r.target_id === 'earlier-id')!;
    const later = order.find((r) => r.target_id === 'later-id')!;
    expect(BigInt(earlier.id) < BigInt(later.id)).toBe(true);
    expect(BigInt(earlier.seq!) > BigInt(later.seq!)).toBe(true);
    expect(earlier.prev_hash).toBe(later.hash);
    expect((await auditor.get('/api/audit/verify')).json()).toMatchObject({ ok: true, problems: [] });
  });

  it('the background sealer links new rows within moments', async () => {
    const sealer = t.services.audit.startSealer((err) => {
      throw err;
    }, 50);
    await deferredWrite(t.db, 'bg', 'test.background');
    let sealed = false;
    for (let i = 0; i < 40 && !sealed; i++) {
      await new Promise((r) => setTimeout(r, 50));
      sealed = (await rowsOf('test.background'))[0]!.hash !== null;
    }
    await sealer.stop();
    expect(sealed).toBe(true);
  });

  it('the database allows sealing only: no change to a sealed row, no change to an unsealed row’s record', async () => {
    const [sealedRow] = await rowsOf('test.first');
    await expect(sql`update audit_log set hash = ${'f'.repeat(64)} where id = ${sealedRow!.id}`.execute(t.db)).rejects.toThrow(/append-only/);
    // an unsealed row (uncommitted here, so no sealer touches it): sealing it while changing its record is refused
    await expect(
      t.db.transaction().execute(async (trx) => {
        await deferredWrite(trx, 'x', 'test.guard');
        await sql`
          update audit_log set action = 'test.other', hash = ${'a'.repeat(64)}, prev_hash = ${'b'.repeat(64)}, seq = 999999
          where action = 'test.guard'`.execute(trx);
      }),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where action = 'test.first'`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('no row can sit where verify does not walk: a hashed row on the deferred chain needs a position, others none', async () => {
    const insert = (chain: number, seq: string | null) =>
      sql`
        insert into audit_log (id, at, actor_type, action, outcome, chain, prev_hash, hash, seq)
        values (nextval('audit_log_id_seq'), now(), 'system', 'test.forged', 'success', ${chain}, ${'0'.repeat(64)}, ${'1'.repeat(64)}, ${seq})`.execute(t.db);
    await expect(insert(DEFERRED_CHAIN, null)).rejects.toThrow(/audit_log_sealed/);
    await expect(insert(0, '5')).rejects.toThrow(/audit_log_sealed/);
  });

  it('verify finds a sealed deferred row changed behind the application’s back', async () => {
    const [row] = await rowsOf('test.first');
    await t.db.transaction().execute(async (trx) => {
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`update audit_log set actor_name = '别人' where id = ${row!.id}`.execute(trx);
    });
    const r = (await auditor.get('/api/audit/verify')).json();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: row!.id, kind: 'modified' }));
  });
});
