// The hardship repository's queries as SQL, snapshotted beside it (hardship.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Transaction } from 'kysely';
import type { DB } from '../../server/src/db/schema.js';
import { hardshipRepository } from '../../server/src/modules/hardship/hardship.repository.js';
import { createTestApp, orgIdByName, type TestApp } from '../support/test-app.js';
import { makeMember } from '../support/members.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // A person and a membership for the inserts to refer to.
  await makeMember(t, await orgIdByName(t, '东台市总工会'), 3952);
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');

/** A file to hang child rows on (inside the rolled-back transaction; its SQL is part of the snapshot). */
async function aFile(db: Transaction<DB>) {
  const m = await db.selectFrom('memberships').select(['id', 'person_id', 'org_id']).executeTakeFirst();
  if (!m) return null;
  const f = await hardshipRepository.insertFile(db, {
    org_id: m.org_id,
    membership_id: m.id,
    head_person_id: m.person_id,
    main_cause: 'illness',
    secondary_causes: '[]',
    head_monthly_income: '0',
    household_size: 1,
    household_income: '0',
    per_capita_income: '0',
    situation: '说明',
  });
  return f.id;
}

describe('hardship repository SQL', () => {
  it('hardship', async () => {
    const text = await captureSql(
      t,
      {
        membershipInScope: (db) => hardshipRepository.membershipInScope(db, '/1/', '1'),
        openFileHolding: (db) => hardshipRepository.openFileHolding(db, ['a', 'b'], '1'),
        insertFile: (db) => aFile(db),
        insertFamily: async (db) => {
          const id = await aFile(db);
          if (id) await hardshipRepository.insertFamily(db, [{ file_id: id, name: '王某', relation: '配偶', monthly_income: '0', sort: 0 }]);
        },
        deleteFamily: (db) => hardshipRepository.deleteFamily(db, '1'),
        replaceKeys: (db) => hardshipRepository.replaceKeys(db, '1', []),
        closeKeys: (db) => hardshipRepository.closeKeys(db, '1'),
        fileInScope: (db) => hardshipRepository.fileInScope(db, '/1/', '1'),
        update: (db) => hardshipRepository.update(db, '1', 1, { status: 'visiting', updated_at: at }),
        insertEvent: async (db) => {
          const id = await aFile(db);
          if (id) await hardshipRepository.insertEvent(db, { file_id: id, action: 'submit', at });
        },
        insertVisit: async (db) => {
          const id = await aFile(db);
          if (id) await hardshipRepository.insertVisit(db, { file_id: id, visited_on: '2026-11-20', visitors: '甲', findings: '属实', photos: '[]', at });
        },
        insertObjection: async (db) => {
          const id = await aFile(db);
          if (id) await hardshipRepository.insertObjection(db, { file_id: id, raised_by: '乙', content: '异议', outcome: 'dismissed', at });
        },
        insertReview: async (db) => {
          const id = await aFile(db);
          if (id) await hardshipRepository.insertReview(db, { file_id: id, year: 2026, decision: 'continue', reason: '继续', at });
        },
        insertPairing: async (db) => {
          const id = await aFile(db);
          if (!id) return;
          const p = await hardshipRepository.insertPairing(db, { file_id: id, kind: 'unit', name: '某企业', started_on: '2026-11-20', at });
          await hardshipRepository.insertPairingVisit(db, { pairing_id: p.id, visited_on: '2026-11-20', notes: '走访', at });
        },
        pairingOfFile: (db) => hardshipRepository.pairingOfFile(db, '1', '1'),
        familyMember: (db) => hardshipRepository.familyMember(db, '1', '2'),
        family: (db) => hardshipRepository.family(db, '1'),
        events: (db) => hardshipRepository.events(db, '1'),
        visits: (db) => hardshipRepository.visits(db, '1'),
        objections: (db) => hardshipRepository.objections(db, '1'),
        reviews: (db) => hardshipRepository.reviews(db, '1'),
        pairings: (db) => hardshipRepository.pairings(db, '1'),
        pairingVisits: (db) => hardshipRepository.pairingVisits(db, '1'),
        reviewsDueUnreminded: (db) => hardshipRepository.reviewsDueUnreminded(db, '2026-12-21', 200),
        claimReviewReminder: async (db) => {
          const id = await aFile(db);
          const org = await db.selectFrom('orgs').select('id').executeTakeFirstOrThrow();
          if (id) await hardshipRepository.claimReviewReminder(db, { file_id: id, review_year: 2027, due_on: '2027-11-21', org_id: org.id, sent_at: at });
        },
        reviewSummary: (db) => hardshipRepository.reviewSummary(db, '/1/', '2026-11-21', '2026-12-21'),
        list: (db) =>
          hardshipRepository.list(db, '/1/', { status: 'established', cause: 'illness', orgPath: '/1/2/', reviewDueYear: 2027, q: '王', limit: 20, offset: 0 }),
      },
      'tests/integration/sql-hardship.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/hardship/hardship.repository.sql');
  });
});
