// Anchors (docs/decisions/011): the chain heads written outside the database. A superuser can roll a
// chain back and fix its head so that the chain alone verifies; the anchors still name the heads
// that existed, and verify reports them missing.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRETS, type Client, type TestApp } from '../../../../tests/support/test-app.js';
import { asSuperuser, restoreChain, snapshotChain } from '../../../../tests/support/audit-tamper.js';
import { anchorFileFor, readAnchors } from './audit.anchors.js';
import { auditKey } from './audit.hash.js';
import { DEFERRED_CHAIN } from './audit.repository.js';
import { createAuditService } from './audit.service.js';

let t: TestApp;
let dataDir: string;
let file: string;
let auditor: Client;
let city: Client;

interface Problem {
  id: string;
  kind: string;
  message: string;
}
const verify = async () =>
  (await auditor.get('/api/audit/verify')).json() as { ok: boolean; problems: Problem[]; anchors: { checked: number; latestAt: string } };
const lines = () => readFileSync(file, 'utf8').split('\n').filter(Boolean);

async function deferredWrite(action: string) {
  const audit = t.services.audit.deferredInsertFrom('e', { actorType: 'system', actorName: '测试', action, targetType: 'test', outcome: 'success' });
  await sql`with e as (select '1'::text as id) ${audit}`.execute(t.db);
  await t.services.audit.sealDeferred();
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gonghui-anchors-'));
  file = anchorFileFor(dataDir);
  t = await createTestApp({ config: { dataDir } });
  city = await t.login('city_admin');
  for (let i = 0; i < 5; i++) expect((await city.post('/api/orgs', { parentId: '1', type: 'industry_federation', name: `锚点测试${i}` })).statusCode).toBe(200);
  await deferredWrite('test.anchor');
  auditor = await t.login('auditor');
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('audit anchors', () => {
  it('the anchoring job writes every head at start (0600), then only heads that moved, and once more at stop', async () => {
    const seen: number[][] = [];
    const job = t.services.audit.startAnchoring({
      onAnchor: (heads) => seen.push(heads.map((h) => h.chain)),
      onError: (err) => expect.fail(String(err)),
      everyMs: 60_000,
    });
    for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([[0, DEFERRED_CHAIN]]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const [first] = readAnchors(file, auditKey(TEST_SECRETS.auditKey)).anchors;
    const head0 = await t.db.selectFrom('audit_chain_head').selectAll().where('chain', '=', 0).executeTakeFirstOrThrow();
    expect(first!.heads[0]).toEqual({ chain: 0, id: head0.last_id, seq: null, hash: head0.last_hash });
    const deferredHead = first!.heads[1]!;
    expect(deferredHead.seq).toBe('1');

    await city.post('/api/orgs', { parentId: '1', type: 'industry_federation', name: '锚点测试之后' });
    await job.stop();
    // only chain 0 moved
    expect(seen).toEqual([[0, DEFERRED_CHAIN], [0]]);
    expect(lines()).toHaveLength(2);
    expect(await verify()).toMatchObject({ ok: true, problems: [], anchors: { checked: 3 } });
  });

  it('a superuser who rolls a chain back and fixes its head passes the chain check, not the anchor check', async () => {
    const before = await snapshotChain(t.db, 0);
    const anchored = await t.services.audit.anchor();
    const anchoredHead = anchored!.find((h) => h.chain === 0)!;
    // Drop the last three rows of chain 0 (the anchored head among them) and point the head at what is left.
    const keep = before.rows.slice(0, -3);
    const dropped = before.rows.slice(-3).map((r) => r.id);
    expect(dropped).toContain(anchoredHead.id);
    await asSuperuser(t.db, async (trx) => {
      await trx.deleteFrom('audit_log').where('id', 'in', dropped).execute();
      await trx
        .updateTable('audit_chain_head')
        .set({ last_id: keep[keep.length - 1]!.id, last_hash: keep[keep.length - 1]!.hash! })
        .where('chain', '=', 0)
        .execute();
    });
    // The keyed chain alone is consistent: nothing in the database tells.
    const chainOnly = await createAuditService({ db: t.db, clock: t.clock, key: TEST_SECRETS.auditKey }).verify();
    expect(chainOnly).toMatchObject({ ok: true, problems: [] });
    // The anchors do.
    const r = await verify();
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual(expect.objectContaining({ id: anchoredHead.id, kind: 'anchor_mismatch', message: expect.stringContaining('链被回滚') }));
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('an anchored head rewritten with the same id (another hash) is found', async () => {
    const before = await snapshotChain(t.db, 0);
    const anchored = (await t.services.audit.anchor())!.find((h) => h.chain === 0)!;
    await asSuperuser(t.db, (trx) =>
      trx
        .updateTable('audit_log')
        .set({ hash: 'f'.repeat(64) })
        .where('id', '=', anchored.id)
        .execute(),
    );
    await asSuperuser(t.db, (trx) =>
      trx
        .updateTable('audit_chain_head')
        .set({ last_hash: 'f'.repeat(64) })
        .where('chain', '=', 0)
        .execute(),
    );
    const r = await verify();
    expect(r.problems).toContainEqual(expect.objectContaining({ id: anchored.id, kind: 'anchor_mismatch' }));
    await restoreChain(t.db, before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('a forged anchor line (no valid MAC) is reported; a torn last line (crash mid-write) is not', async () => {
    const original = readFileSync(file, 'utf8');
    const forged = JSON.parse(lines()[0]!) as { heads: { hash: string }[] };
    forged.heads[0]!.hash = 'e'.repeat(64);
    appendFileSync(file, JSON.stringify(forged) + '\n');
    let r = await verify();
    expect(r.problems).toContainEqual(
      expect.objectContaining({ kind: 'anchor_mismatch', message: expect.stringContaining(`锚点文件第 ${lines().length} 行无效`) }),
    );

    writeFileSync(file, original + '{"at":"2026-11-21T02:00:00.000Z","heads":[{"chai');
    r = await verify();
    expect(r).toMatchObject({ ok: true, problems: [] });
    writeFileSync(file, original);
  });

  it('without an anchors file verify still checks the chains and says no anchor was checked', async () => {
    rmSync(file);
    expect(existsSync(file)).toBe(false);
    expect(await verify()).toMatchObject({ ok: true, anchors: { checked: 0, latestAt: null } });
  });
});
