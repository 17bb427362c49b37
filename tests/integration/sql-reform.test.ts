// The 产改 repository's queries as SQL, snapshotted beside it (reform.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reformRepository as repo } from '../../server/src/modules/reform/reform.repository.js';
import { reformVisitsRepository as visits } from '../../server/src/modules/reform/reform.visits.repository.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

describe('reform repository SQL', () => {
  it('pilots', async () => {
    const pilot = async (db: Parameters<typeof repo.insertPilot>[0]) => {
      const e = await db.insertInto('enterprises').values({ org_id: '1', credit_code: '91320981MA0000001X', name: '快照企业', ownership: 'private', industry: 'C' }).returning('id').executeTakeFirstOrThrow();
      return (await repo.insertPilot(db, { org_id: '1', enterprise_id: e.id, since_year: 2024 }))!.id;
    };
    const text = await captureSql(
      t,
      {
        insertPilot: (db) => pilot(db),
        pilotInScope: (db) => repo.pilotInScope(db, '/1/', '1'),
        pilots: (db) => repo.pilots(db, '/1/', { orgPath: '/1/2/', q: '装备', stars: 4, limit: 20, offset: 0 }),
        items: (db) => repo.items(db, '1'),
        insertItem: async (db) => repo.insertItem(db, { pilot_id: await pilot(db), kind: 'task', title: '任务', owner: '某人', due_on: '2026-12-01' }),
        finishItem: (db) => repo.finishItem(db, '1', '1', '2026-11-01', '佐证'),
        criteria: (db) => repo.criteria(db),
        insertCriterion: (db) => repo.insertCriterion(db, { name: '评分项', max_score: 10 }),
        updateCriterion: (db) => repo.updateCriterion(db, '1', 1, { max_score: 20 }),
        ratings: (db) => repo.ratings(db, '1'),
        insertRating: async (db) => repo.insertRating(db, { pilot_id: await pilot(db), year: 2026, scores: '[]', total: 80, stars: 4, rater: '评审组', rated_on: '2026-11-01' }),
        figures: (db) => repo.figures(db, '/1/', 2026),
      },
      'tests/integration/sql-reform.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/reform/reform.repository.sql');
  });

  it('督查考核, 工匠学院 and the figures per child (decision 033)', async () => {
    const text = await captureSql(
      t,
      {
        inspections: (db) => visits.inspections(db, '1'),
        insertAcademy: (db) => visits.insertAcademy(db, { org_id: '1', name: '学院', host: '某校', founded_year: 2024 }),
        academyInScope: (db) => visits.academyInScope(db, '/1/', '1'),
        academies: (db) => visits.academies(db, '/1/', 20, 0),
        academiesOfPilot: (db) => visits.academiesOfPilot(db, '1'),
        byChild: (db) => visits.byChild(db, '/1/', 2026),
        visitsOfYear: (db) => visits.visitsOfYear(db, '/1/', 2026),
      },
      'tests/integration/sql-reform.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/reform/reform.visits.repository.sql');
  });
});
