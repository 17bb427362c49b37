// The keyed audit chain (docs/decisions/011): every row is hashed with HMAC-SM3 under the audit key,
// which is not in the database, so a superuser who rewrites history and recomputes the chain —
// with plain SM3, or with any key but the right one — is found by verify. Rows from before the key
// (plain SM3) are accepted only up to each chain's recorded legacy head.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRETS, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { asSuperuser, chainRows, otherKey, plainSm3, restoreChain, rewriteFrom, snapshotChain } from '../../../../tests/support/audit-tamper.js';
import { GENESIS_HASH, HASH_ALG, auditKey, type Unhashed } from './audit.hash.js';
import { DEFERRED_CHAIN } from './audit.repository.js';
import { recordLegacyHeads } from './audit.service.js';

const key = auditKey(TEST_SECRETS.auditKey);

interface Problem {
  id: string;
  kind: string;
  message: string;
}

async function deferredWrites(t: TestApp, action: string, n: number) {
  for (let i = 0; i < n; i++) {
    const audit = t.services.audit.deferredInsertFrom('e', { actorType: 'system', actorName: '测试', action, targetType: 'test', outcome: 'success' });
    await sql`with e as (select ${String(i)}::text as id) ${audit}`.execute(t.db);
  }
  await t.services.audit.sealDeferred();
}

describe('the keyed chain', () => {
  let t: TestApp;
  let auditor: Client;
  const verify = async () => (await auditor.get('/api/audit/verify')).json() as { ok: boolean; problems: Problem[]; checked: number };

  beforeAll(async () => {
    t = await createTestApp();
    const city = await t.login('city_admin');
    for (let i = 0; i < 4; i++)
      expect((await city.post('/api/orgs', { parentId: '1', type: 'industry_federation', name: `密钥链测试${i}` })).statusCode).toBe(200);
    await deferredWrites(t, 'test.keyed', 3);
    auditor = await t.login('auditor');
  });
  afterAll(async () => t?.close());

  it('every row, ordinary and deferred, is HMAC-SM3 under the audit key (not plain SM3, not another key); the chains verify', async () => {
    const rows = await t.db.selectFrom('audit_log').selectAll().where('hash', 'is not', null).execute();
    expect(rows.length).toBeGreaterThan(6);
    expect(rows.some((r) => r.chain === DEFERRED_CHAIN)).toBe(true);
    for (const row of rows) {
      const { hash, seq: _seq, hash_alg, prev_hash, ...rest } = row;
      const unhashed: Unhashed = { ...rest, prev_hash: prev_hash! };
      expect(hash_alg).toBe(HASH_ALG.hmacSm3);
      expect(hash).toBe(key.hashRow(unhashed));
      expect(hash).not.toBe(plainSm3(unhashed));
      expect(hash).not.toBe(otherKey.hashRow(unhashed));
    }
    expect(await verify()).toMatchObject({ ok: true, problems: [] });
  });

  it('a superuser rewrite recomputed with plain SM3 is found, also when the rows are marked unkeyed', async () => {
    const before = await snapshotChain(t.db, 0);
    const target = before.rows.find((r) => r.action === 'org.create')!;

    // The hashes recomputed with plain SM3, the rows still claiming to be keyed.
    await rewriteFrom(t.db, 0, target.id, { actor_name: '别人' }, plainSm3, HASH_ALG.hmacSm3);
    let r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: target.id, kind: 'modified' }));
    // consistent links, so nothing reads as missing: only the key gives it away
    expect(r.problems.filter((p) => p.kind === 'missing')).toEqual([]);
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });

    // A downgrade: the rows marked as written before the key (plain SM3), which the chain has none of.
    const later = (await chainRows(t.db, 0)).filter((r) => BigInt(r.id) > BigInt(target.id)).map((r) => r.id);
    await rewriteFrom(t.db, 0, target.id, { actor_name: '别人' }, plainSm3, HASH_ALG.sm3);
    r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: target.id, kind: 'unkeyed' }));
    expect(r.problems.filter((p) => p.kind === 'unkeyed').map((p) => p.id)).toEqual([target.id, ...later]);
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a superuser rewrite recomputed with HMAC-SM3 under a wrong key is found', async () => {
    const before = await snapshotChain(t.db, 0);
    const target = before.rows[1]!;
    await rewriteFrom(t.db, 0, target.id, { action: 'org.rename' }, (row) => otherKey.hashRow(row), HASH_ALG.hmacSm3);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: target.id, kind: 'modified' }));
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('the deferred chain: still sealed in seal order and verified; a plain-SM3 rewrite of it is found', async () => {
    await deferredWrites(t, 'test.keyed.more', 2);
    const before = await snapshotChain(t.db, DEFERRED_CHAIN);
    expect(before.rows.map((r) => Number(r.seq))).toEqual(before.rows.map((_, i) => i + 1));
    for (let i = 1; i < before.rows.length; i++) expect(before.rows[i]!.prev_hash).toBe(before.rows[i - 1]!.hash);
    expect(before.head.last_hash).toBe(before.rows[before.rows.length - 1]!.hash);
    expect(await verify()).toMatchObject({ ok: true });

    const target = before.rows[1]!;
    await rewriteFrom(t.db, DEFERRED_CHAIN, target.id, { detail: '{"n":"x"}' }, plainSm3, HASH_ALG.hmacSm3);
    const r = await verify();
    expect(r.problems).toContainEqual(expect.objectContaining({ id: target.id, kind: 'modified' }));
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });
  });
});

// A database from before the key: its rows were hashed with plain SM3 (hash_alg 0 from migration
// 022). The start that first sees the audit key records each chain's last unkeyed row (MACed).
describe('rows written before the key (plain SM3)', () => {
  let t: TestApp;
  let verify: () => Promise<{ ok: boolean; problems: Problem[]; checked: number }>;
  const legacy: Record<number, string[]> = { 0: [], [DEFERRED_CHAIN]: [] };

  /** Rows as the old code wrote them: plain SM3, linked, with the chain head moved. */
  async function writeLegacy(chain: number, n: number) {
    const head = await t.db.selectFrom('audit_chain_head').select('last_hash').where('chain', '=', chain).executeTakeFirst();
    let prev = head?.last_hash ?? GENESIS_HASH;
    for (let i = 0; i < n; i++) {
      const { rows } = await sql<{ id: string }>`select nextval('audit_log_id_seq')::text as id`.execute(t.db);
      const row: Unhashed = {
        id: rows[0]!.id,
        at: new Date(Date.UTC(2026, 5, 1, 1, i)),
        actor_type: 'system',
        actor_id: null,
        actor_name: '旧版本',
        action: 'legacy.write',
        target_type: null,
        target_id: String(i),
        org_id: null,
        ip: null,
        request_id: null,
        outcome: 'success',
        detail: null,
        prev_hash: prev,
        chain,
      };
      const hash = plainSm3(row);
      const seq = chain === DEFERRED_CHAIN ? String(i + 1) : null;
      await t.db
        .insertInto('audit_log')
        .values({ ...row, hash, hash_alg: HASH_ALG.sm3, seq })
        .execute();
      await t.db
        .insertInto('audit_chain_head')
        .values({ chain, last_id: row.id, last_hash: hash })
        .onConflict((oc) => oc.column('chain').doUpdateSet({ last_id: row.id, last_hash: hash }))
        .execute();
      legacy[chain]!.push(row.id);
      prev = hash;
    }
  }

  beforeAll(async () => {
    t = await createTestApp();
    expect(await t.db.selectFrom('audit_log').select('id').executeTakeFirst()).toBeUndefined();
    await writeLegacy(0, 4);
    await writeLegacy(DEFERRED_CHAIN, 2);
    expect(await recordLegacyHeads(t.db, TEST_SECRETS.auditKey)).toEqual([0, DEFERRED_CHAIN]);
    const city = await t.login('city_admin');
    expect((await city.post('/api/orgs', { parentId: '1', type: 'industry_federation', name: '历史链测试' })).statusCode).toBe(200);
    await deferredWrites(t, 'test.after-legacy', 2);
    const auditor = await t.login('auditor');
    verify = async () => (await auditor.get('/api/audit/verify')).json();
  });
  afterAll(async () => t?.close());

  it('verify accepts them up to the recorded legacy head, and the keyed rows after them', async () => {
    const r = await verify();
    expect(r).toMatchObject({ ok: true, problems: [] });
    const chain0 = await chainRows(t.db, 0);
    expect(chain0.slice(0, 4).map((row) => row.hash_alg)).toEqual([0, 0, 0, 0]);
    expect(chain0.slice(4).every((row) => row.hash_alg === HASH_ALG.hmacSm3)).toBe(true);
    // the first keyed row links to the last unkeyed one
    expect(chain0[4]!.prev_hash).toBe(chain0[3]!.hash);
    const deferred = await chainRows(t.db, DEFERRED_CHAIN);
    expect(deferred.map((row) => row.hash_alg)).toEqual([0, 0, 1, 1]);
  });

  it('legacy heads are recorded once per database and cannot be changed through the application', async () => {
    expect(await recordLegacyHeads(t.db, TEST_SECRETS.auditKey)).toEqual([]);
    await expect(sql`update audit_legacy_heads set last_id = 1`.execute(t.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_legacy_heads`.execute(t.db)).rejects.toThrow(/append-only/);
  });

  it('keyed rows rewritten as unkeyed ones (a downgrade past the legacy head) are found', async () => {
    const before = await snapshotChain(t.db, 0);
    const firstKeyed = before.rows[4]!;
    await rewriteFrom(t.db, 0, firstKeyed.id, { actor_name: '别人' }, plainSm3, HASH_ALG.sm3);
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: firstKeyed.id, kind: 'unkeyed' }));
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('an unkeyed row rewritten consistently up to the legacy head is found (the first keyed row and the recorded head hold it)', async () => {
    const before = await snapshotChain(t.db, 0);
    const lastLegacy = legacy[0]![3]!;
    await rewriteFrom(t.db, 0, legacy[0]![1]!, { actor_name: '别人' }, plainSm3, HASH_ALG.sm3, { untilId: lastLegacy });
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: lastLegacy, kind: 'modified' }));
    expect(r.problems).toContainEqual(expect.objectContaining({ id: before.rows[4]!.id, kind: 'missing' }));
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a legacy head moved by a superuser (to cover rewritten rows) fails its MAC', async () => {
    const chain0 = await chainRows(t.db, 0);
    await asSuperuser(t.db, (trx) =>
      trx
        .updateTable('audit_legacy_heads')
        .set({ last_id: chain0[chain0.length - 1]!.id, last_hash: chain0[chain0.length - 1]!.hash! })
        .where('chain', '=', 0)
        .execute(),
    );
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ kind: 'modified', message: expect.stringContaining('校验码不符') }));
    // without a valid legacy head, the unkeyed rows are no longer accepted either
    expect(r.problems.filter((p) => p.kind === 'unkeyed').map((p) => p.id)).toEqual(legacy[0]);
  });
});
