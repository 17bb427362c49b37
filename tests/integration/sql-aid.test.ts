// The aid repository's queries as SQL, snapshotted beside it (aid.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aidRepository } from '../../server/src/modules/aid/aid.repository.js';
import { createTestApp, orgIdByName, type TestApp } from '../support/test-app.js';
import { makeMember } from '../support/members.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  // A person and a membership for the inserts to refer to.
  await makeMember(t, await orgIdByName(t, '东台市总工会'), 3951);
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');

describe('aid repository SQL', () => {
  it('aid', async () => {
    const text = await captureSql(
      t,
      {
        ensureFunds: (db) => aidRepository.ensureFunds(db, [{ code: 'living', name: '生活救助', sort: 1 }]),
        orgByName: (db) => aidRepository.orgByName(db, '东台市总工会'),
        funds: (db) => aidRepository.funds(db),
        budgetInScope: (db) => aidRepository.budgetInScope(db, '/1/', '1'),
        budgetInScopeForUpdate: (db) => aidRepository.budgetInScope(db, '/1/', '1', true),
        budgetByKey: (db) => aidRepository.budgetByKey(db, '1', 2026, 'living'),
        insertBudget: (db) => aidRepository.insertBudget(db, { org_id: '1', year: 2026, fund_code: 'living', amount: '100.00', updated_at: at }),
        setAmount: (db) => aidRepository.setAmount(db, '1', '100.00', at),
        draw: (db) => aidRepository.draw(db, '1', '100.00', at),
        release: (db) => aidRepository.release(db, '1', '100.00', at),
        insertDisbursement: async (db) => {
          const b = await aidRepository.insertBudget(db, { org_id: '1', year: 2001, fund_code: 'living', amount: '100.00', updated_at: at });
          const person = await db.selectFrom('people').select('id').executeTakeFirst();
          if (!person) return;
          await aidRepository.insertDisbursement(db, {
            budget_id: b!.id,
            org_id: '1',
            year: 2001,
            fund_code: 'living',
            amount: '1.00',
            person_id: person.id,
            paid_at: at,
          });
        },
        insertMovement: async (db) => {
          const b = await aidRepository.insertBudget(db, { org_id: '1', year: 2002, fund_code: 'living', amount: '100.00', updated_at: at });
          await aidRepository.insertMovement(db, { budget_id: b!.id, kind: 'allocation', amount: '100.00', balance_after: '100.00', at });
        },
        listBudgets: (db) => aidRepository.listBudgets(db, '/1/', { year: 2026, fundCode: 'living', orgPath: '/1/2/', limit: 20, offset: 0 }),
        movements: (db) => aidRepository.movements(db, '1'),
        listDisbursements: (db) =>
          aidRepository.listDisbursements(db, '/1/', {
            orgPath: '/1/2/',
            year: 2026,
            fundCode: 'living',
            cause: 'illness',
            category: '生活救助',
            budgetId: '1',
            hardshipFileId: '1',
            status: 'paid',
            limit: 20,
            offset: 0,
          }),
        listDisbursementsUnclassified: (db) => aidRepository.listDisbursements(db, '/1/', { cause: '未分类', limit: 20, offset: 0 }),
        disbursementsOfFile: (db) => aidRepository.disbursementsOfFile(db, '1', '1'),
        disbursementById: (db) => aidRepository.disbursementById(db, '1'),
        fileInScope: (db) => aidRepository.fileInScope(db, '/1/', '1'),
        membershipInScope: (db) => aidRepository.membershipInScope(db, '/1/', '1'),
        disbursementInScope: (db) => aidRepository.disbursementInScope(db, '/1/', '1'),
        markReversed: (db) => aidRepository.markReversed(db, '1', at, '冲正'),
        openFileOfHead: (db) => aidRepository.openFileOfHead(db, '1'),
        paidByFund: (db) => aidRepository.paidByFund(db, '/1/', 2026),
        paidByCause: (db) => aidRepository.paidByCause(db, '/1/', 2026),
        budgetsByFund: (db) => aidRepository.budgetsByFund(db, '/1/', 2026),
      },
      'tests/integration/sql-aid.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/aid/aid.repository.sql');
  });
});
