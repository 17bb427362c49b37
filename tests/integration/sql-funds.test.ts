// 工会经费 and 经费审查 as SQL, snapshotted beside their repositories (funds.repository.sql,
// audit-committee.repository.sql): a query change shows in review as plain SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fundsRepository as r } from '../../server/src/modules/funds/funds.repository.js';
import { acRepository as ac } from '../../server/src/modules/audit-committee/audit-committee.repository.js';
import { fundsDuesRepository as dues } from '../../server/src/modules/funds/funds.dues.repository.js';
import { fundsLinesRepository as lines } from '../../server/src/modules/funds/funds.lines.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T02:00:00Z');
const BY = 'tests/integration/sql-funds.test.ts';

describe('funds and audit committee repository SQL', () => {
  it('funds', async () => {
    const text = await captureSql(
      t,
      {
        chain: (db) => r.chain(db, '/1/3/'),
        orgInScope: (db) => r.orgInScope(db, '/1/', '3'),
        children: (db) => r.children(db, '3'),
        rateFor: (db) => r.rateFor(db, '/1/3/', '2026-09-01'),
        ratiosFor: (db) => r.ratiosFor(db, '/1/3/', 2026),
        settings: (db) => r.settings(db, '/1/3/'),
        insertRate: (db) => r.insertRate(db, { org_id: '1', rate_bp: 200, effective_from: '2026-01-01', note: '', created_by: 'x' }),
        upsertRatios: (db) => r.upsertRatios(db, { org_id: '1', year: 2026, grassroots_bp: 6000, town_bp: 1000, county_bp: 2000, city_bp: 1000, created_by: 'x' }),
        unionisedByCodes: (db) => r.unionisedByCodes(db, '/1/', ['91320981000017001X']),
        enterpriseInScope: (db) => r.enterpriseInScope(db, '/1/', '1'),
        receivableInScope: (db) => r.receivableInScope(db, '/1/', '1'),
        reduce: (db) => r.reduce(db, '1', 1, 1n, 'x', 'y'),
        dueForReminder: (db) => r.dueForReminder(db, '2026-11', '2026-10-22', 200),
        markReminded: (db) => r.markReminded(db, '1', '2026-11-21'),
        receivables: (db) => r.receivables(db, '/1/', { orgPath: '/1/3/', period: '2026-09', arrears: true, q: '纺织', limit: 20, offset: 0 }),
        receipts: (db) => r.receipts(db, '/1/', { orgPath: '/1/3/', year: 2026, channel: 'tax', limit: 20, offset: 0 }),
        ledger: (db) => r.ledger(db, '3', '/1/3/', 2026),
        balance: (db) => r.balance(db, '3'),
        balanceBefore: (db) => r.balance(db, '3', 2026),
        lockLedger: (db) => r.lockLedger(db, '3'),
        allocations: (db) => r.allocations(db, '/1/', { orgId: '3', year: 2026, limit: 20, offset: 0 }),
        upsertBudget: (db) => r.upsertBudget(db, { org_id: '3', year: 2026, category: 'activities', amount_fen: 100n, note: '' }, at),
        budgetVsActual: (db) => r.budgetVsActual(db, '3', 2026),
        spendingInScope: (db) => r.spendingInScope(db, '/1/', '1'),
        spending: (db) => r.spending(db, '/1/', { orgId: '3', year: 2026, category: 'activities', activityId: '1', limit: 20, offset: 0 }),
        voucherInScope: (db) => r.voucherInScope(db, '/1/', '1', '1'),
        activityInScope: (db) => r.activityInScope(db, '/1/', '1'),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/funds/funds.repository.sql');
  });

  it('audit committee', async () => {
    const text = await captureSql(
      t,
      {
        projectInScope: (db) => ac.projectInScope(db, '/1/', '1', '2026-11-21'),
        projects: (db) => ac.projects(db, '/1/', '2026-11-21', { status: 'open', kind: 'tracking', overdue: true, limit: 20, offset: 0 }),
        findings: (db) => ac.findings(db, '1'),
        interviews: (db) => ac.interviews(db, '1'),
        taskInScope: (db) => ac.taskInScope(db, '/1/', '1'),
        submitEvidence: (db) => ac.submitEvidence(db, '1', 1, 'x', '2026-11-21'),
        closeTask: (db) => ac.closeTask(db, '1', 1, 'x', '2026-11-21'),
        openTasksOf: (db) => ac.openTasksOf(db, '1'),
        figures: (db) => ac.figures(db, '/1/', '2026-11-21', 2026),
        tasks: (db) => ac.tasks(db, '/1/', '2026-11-21', { status: 'open', overdue: true, auditedOrgId: '3', limit: 20, offset: 0 }),
        papers: (db) => ac.papers(db, '1'),
        paperInScope: (db) => ac.paperInScope(db, '/1/', '1', '1'),
      },
      BY,
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/audit-committee/audit-committee.repository.sql');
  });

  it('funds lines and dues', async () => {
    const linesText = await captureSql(
      t,
      {
        aidLines: (db) => lines.aidLines(db, '3', 2026),
        activityLines: (db) => lines.activityLines(db, '3', 2026),
      },
      BY,
    );
    await expect(linesText).toMatchFileSnapshot('../../server/src/modules/funds/funds.lines.repository.sql');
    const duesText = await captureSql(
      t,
      {
        settings: (db) => dues.settings(db, '3'),
        saveSettings: (db) => dues.saveSettings(db, { org_id: '3', enabled: true, rate_bp: 50, updated_by: 'x' }, 1, at),
        membershipsIn: (db) => dues.membershipsIn(db, '/1/3/', ['1']),
        liveExemptions: (db) => dues.liveExemptions(db, '3', ['1']),
        exemptionInScope: (db) => dues.exemptionInScope(db, '/1/', '1'),
        revokeExemption: (db) => dues.revokeExemption(db, '1', 'x', at),
        members: (db) => dues.members(db, { orgId: '3', unionPath: '/1/3/', period: '2026-10', status: 'unpaid', q: '王', limit: 20, offset: 0 }),
        months: (db) => dues.months(db, '3', 2026),
      },
      BY,
    );
    await expect(duesText).toMatchFileSnapshot('../../server/src/modules/funds/funds.dues.repository.sql');
  });
});
