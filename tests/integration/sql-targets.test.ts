// Targets, 工作质效评价 and the cockpit feed as SQL, snapshotted beside their repositories
// (targets.repository.sql, cockpit.repository.sql): a query change shows in review as plain SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { targetsRepository as r } from '../../server/src/modules/targets/targets.repository.js';
import { cockpitRepository } from '../../server/src/modules/cockpit/cockpit.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T02:00:00Z');

describe('targets and cockpit repository SQL', () => {
  it('targets', async () => {
    const text = await captureSql(
      t,
      {
        childrenAmong: (db) => r.childrenAmong(db, '1', ['3', '4']),
        activeChildren: (db) => r.activeChildren(db, '1'),
        listFor: (db) => r.listFor(db, '/1/', '3', 2026),
        inScope: (db) => r.inScope(db, '/1/', '9'),
        existing: (db) => r.existing(db, 2026, 'members.joined', ['3']),
        insert: (db) =>
          r.insert(db, {
            year: 2026,
            org_id: '3',
            set_by_org_id: '1',
            indicator_code: 'members.joined',
            comparison: 'gte',
            value: '10.00',
            parent_id: null,
            note: null,
            created_by: '1',
            updated_at: at,
          }),
        update: (db) => r.update(db, '9', 1, { value: '12.00', updated_at: at }),
        'update (no version: a batch re-set)': (db) =>
          r.update(db, '9', null, { value: '12.00', comparison: 'gte', note: null, parent_id: null, updated_at: at }),
        countCascaded: (db) => r.countCascaded(db, '9'),
        remove: (db) => r.remove(db, '9', 1),
        scheme: (db) => r.scheme(db, '1', 2026),
        schemeItems: (db) => r.schemeItems(db, '1'),
        insertScheme: (db) => r.insertScheme(db, { org_id: '1', year: 2026, name: '方案', created_by: '1', updated_at: at }),
        updateScheme: (db) => r.updateScheme(db, '1', 1, '方案', at),
        'insertItem (after insertScheme)': async (db) => {
          const s = await r.insertScheme(db, { org_id: '1', year: 2026, name: '方案', created_by: '1', updated_at: at });
          return r.insertItem(db, {
            scheme_id: s.id,
            position: 0,
            kind: 'indicator',
            name: '新增会员',
            indicator_code: 'members.joined',
            rule: 'linear',
            weight: '40.00',
            description: null,
          });
        },
        updateItem: (db) =>
          r.updateItem(db, '1', '2', { position: 0, kind: 'manual', name: '工作创新', indicator_code: null, rule: null, weight: '30.00', description: null }),
        itemsWithClaims: (db) => r.itemsWithClaims(db, ['2']),
        deleteItems: (db) => r.deleteItems(db, '1', ['2']),
        claims: (db) => r.claims(db, '1'),
        'claims (one org)': (db) => r.claims(db, '1', '3'),
        itemForAssessed: (db) => r.itemForAssessed(db, '2', '1'),
        claimFor: (db) => r.claimFor(db, '2', '3'),
        'insertClaim (after insertScheme, insertItem)': async (db) => {
          const s = await r.insertScheme(db, { org_id: '1', year: 2026, name: '方案', created_by: '1', updated_at: at });
          const i = await r.insertItem(db, {
            scheme_id: s.id,
            position: 0,
            kind: 'manual',
            name: '工作创新',
            indicator_code: null,
            rule: null,
            weight: '30.00',
            description: null,
          });
          return r.insertClaim(db, { item_id: i.id, org_id: '3', claimed_score: '8.00', evidence: '说明', submitted_by: '1', submitted_at: at });
        },
        resubmitClaim: (db) => r.resubmitClaim(db, '5', 1, { claimed_score: '8.00', evidence: '说明', submitted_by: '1', submitted_at: at }),
        claimInScope: (db) => r.claimInScope(db, '/1/', '5'),
        setEvidenceFile: (db) => r.setEvidenceFile(db, '5', 1, { file_key: 'targets/k', file_name: 'a.png', file_mime: 'image/png' }),
        review: (db) => r.review(db, '5', 1, { status: 'confirmed', confirmed_score: '8.00', review_note: null, reviewed_by: '1', reviewed_at: at }),
        setBy: (db) => r.setBy(db, '1', 2026),
        setFor: (db) => r.setFor(db, '3', 2026),
      },
      'tests/integration/sql-targets.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/targets/targets.repository.sql');
  });

  it('cockpit', async () => {
    const text = await captureSql(
      t,
      {
        feed: (db) => cockpitRepository.feed(db, '/1/', at, 20),
        names: (db) => cockpitRepository.names(db, ['3', '4']),
      },
      'tests/integration/sql-targets.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/cockpit/cockpit.repository.sql');
  });
});
