// The 劳模工匠 repository's queries as SQL, snapshotted beside it (models.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modelsRepository as repo } from '../../server/src/modules/models/models.repository.js';
import { boardRepository as board } from '../../server/src/modules/models/models.board.repository.js';
import { lecturesRepository as lectures } from '../../server/src/modules/models/models.lectures.js';
import { pointsRepository as points } from '../../server/src/modules/models/models.points.repository.js';
import { competitionsRepository as competitions } from '../../server/src/modules/models/models.competitions.repository.js';
import { studioReviewRepository as review } from '../../server/src/modules/models/models.studio-review.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const at = new Date('2026-11-21T00:00:00Z');
const person = { org_id: '1', name: '快照', updated_at: at };

describe('models repository SQL', () => {
  it('register', async () => {
    const text = await captureSql(
      t,
      {
        insertPerson: (db) => repo.insertPerson(db, person),
        insertPersonIfAbsent: (db) => repo.insertPersonIfAbsent(db, { ...person, id_bidx: 'b' }),
        personByIdBidxInScope: (db) => repo.personByIdBidxInScope(db, 'b', '/1/'),
        inScope: (db) => repo.inScope(db, '/1/', '1'),
        update: (db) => repo.update(db, '1', 1, { status: 'retired', updated_at: at }),
        list: (db) => repo.list(db, '/1/', { orgPath: '/1/2/', q: '张', kind: 'city_model', status: 'active', onRoll: true, limit: 20, offset: 0 }),
        listAll: (db) => repo.list(db, '/1/', { limit: 20, offset: 0 }),
        orgsInScopeByName: (db) => repo.orgsInScopeByName(db, '/1/', ['东台市总工会']),
        insertHonours: async (db) => {
          const p = await repo.insertPerson(db, person);
          await repo.insertHonours(db, [{ model_person_id: p.id, kind: 'city_model', year: 2020, awarding_body: '盐城市人民政府' }]);
        },
        honours: (db) => repo.honours(db, '1'),
        deleteHonour: (db) => repo.deleteHonour(db, '1', '1'),
        isModelWorker: (db) => repo.isModelWorker(db, '1'),
        rules: (db) => repo.rules(db),
        insertRule: (db) => repo.insertRule(db, { honour_kind: 'skill_expert', benefit: 'checkup', amount_fen: null, note: '' }),
        updateRule: (db) => repo.updateRule(db, '1', 1, { amount_fen: '100', updated_at: at }),
        rule: (db) => repo.rule(db, '1'),
        grants: (db) => repo.grants(db, '1'),
        insertGrant: async (db) => {
          const p = await repo.insertPerson(db, person);
          await repo.insertGrant(db, { model_person_id: p.id, benefit: 'checkup', year: 2026, granted_on: '2026-03-01', org_id: '1' });
        },
      },
      'tests/integration/sql-models.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/models/models.repository.sql');
  });

  it('studios and problems', async () => {
    const studio = { org_id: '1', kind: 'model' as const, name: '快照工作室', field: '机械', level: 'city' as const, named_year: 2022, updated_at: at };
    const problem = { org_id: '1', enterprise_id: '1', title: '快照难题', field: '机械', description: '快照难题的描述文字，十个字以上', posted_on: '2026-11-01', deadline: '2026-12-01', updated_at: at };
    const text = await captureSql(
      t,
      {
        insertStudio: (db) => board.insertStudio(db, studio),
        studioInScope: (db) => board.studioInScope(db, '/1/', '1'),
        updateStudio: (db) => board.updateStudio(db, '1', 1, { members: 3, updated_at: at }),
        studios: (db) => board.studios(db, '/1/', { orgPath: '/1/2/', q: '机械', kind: 'model', level: 'city', limit: 20, offset: 0 }),
        insertAchievement: async (db) => {
          const st = await board.insertStudio(db, studio);
          await board.insertAchievement(db, { studio_id: st!.id, kind: 'patent', title: '专利', year: 2025, patent_type: 'invention', points: 50, scored_on: '2025-06-01' });
        },
        achievements: (db) => board.achievements(db, '1'),
        insertProblem: async (db) => {
          // the parent enterprise row (fixture, modules/enterprises' table)
          const e = await db.insertInto('enterprises').values({ org_id: '1', credit_code: '91320981MA0000001X', name: '快照企业', ownership: 'private', industry: 'C' }).returning('id').executeTakeFirstOrThrow();
          await board.insertProblem(db, { ...problem, enterprise_id: e.id });
        },
        problemInScope: (db) => board.problemInScope(db, '/1/', '1'),
        updateProblem: (db) => board.updateProblem(db, '1', 1, ['open'], { status: 'withdrawn', updated_at: at }),
        problems: (db) => board.problems(db, '/1/', { orgPath: '/1/2/', q: '齿轮', status: 'open', studioId: '1', limit: 20, offset: 0 }),
        insertRecord: async (db) => {
          const e = await db.insertInto('enterprises').values({ org_id: '1', credit_code: '91320981MA0000001X', name: '快照企业', ownership: 'private', industry: 'C' }).returning('id').executeTakeFirstOrThrow();
          const p = await board.insertProblem(db, { ...problem, enterprise_id: e.id });
          await board.insertRecord(db, { problem_id: p.id, kind: 'visit', on_day: '2026-11-02', text: '走访', actor_name: '某人' });
        },
        records: (db) => board.records(db, '1'),
        monthly: (db) => board.monthly(db, '/1/', '2026-01-01', '2027-01-01'),
        totals: (db) => board.totals(db, '/1/', '2026-01-01', '2027-01-01'),
        insertLecturer: (db) => lectures.insertLecturer(db, { org_id: '1', kind: 'model_teacher', name: '宣讲员', model_person_id: null, topic: null, created_by: '1' }),
        lecturerInScope: (db) => lectures.lecturerInScope(db, '/1/', '1'),
        lecturers: (db) => lectures.lecturers(db, '/1/', 20, 0, '张'),
        lectures: (db) => lectures.lectures(db, '/1/', 20, 0),
      },
      'tests/integration/sql-models.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/models/models.board.repository.sql');
  });

  it('points, evaluations, evidence files, competitions (decision 033)', async () => {
    const tbl = { kinds: { patent: 0, innovation: 10, five_small: 5, apprentice: 3, benefit: 0 }, award: { national: 100, provincial: 60, city: 30, county: 15 }, patent: { invention: 50, utility: 20, design: 10 }, benefit: [{ minFen: '10000000', points: 5 }] };
    const text = await captureSql(
      t,
      {
        tableFor: (db) => points.tableFor(db, '/1/2/'),
        saveNew: (db) => points.save(db, '1', null, { ...tbl, ranking_enabled: false }, '1', at),
        saveVersion: (db) => points.save(db, '1', 1, { ...tbl, ranking_enabled: true }, '1', at),
        byStudio: (db) => points.byStudio(db, '/1/', 2026, { orderByPoints: false, limit: 20, offset: 0 }),
        byStudioRanked: (db) => points.byStudio(db, '/1/', 2026, { orderByPoints: true, limit: 20, offset: 0 }),
        byPerson: (db) => points.byPerson(db, '/1/', 2026, { orderByPoints: false, limit: 20, offset: 0 }),
        personYears: (db) => points.personYears(db, '1'),
        studioYears: (db) => points.studioYears(db, '1'),
        evaluations: (db) => review.evaluations(db, '1'),
        insertEvaluation: async (db) => {
          const st = await board.insertStudio(db, { org_id: '1', kind: 'model', name: '快照评价', field: '机械', level: 'city', named_year: 2022, updated_at: at });
          await review.insertEvaluation(db, { studio_id: st!.id, year: 2025, scores: '[]', total: 80, result: 'good', evaluator: '评价组', evaluated_on: '2026-01-10', created_by: '1' });
        },
        achievementOf: (db) => review.achievementOf(db, '1', '1'),
        fileInScope: (db) => review.fileInScope(db, '/1/', '1', '1', '1'),
        filesOfStudio: (db) => review.filesOfStudio(db, '1'),
        competitionList: (db) => competitions.list(db, { q: '焊工', level: 'city', limit: 20, offset: 0 }),
        competitionGet: (db) => competitions.get(db, '1'),
        competitionInsert: (db) => competitions.insert(db, { name: '快照竞赛', level: 'county', category: 'other', trade: '焊工', organiser: '某工会', maps_to: 'none' }),
        competitionUpdate: (db) => competitions.update(db, '1', 1, { active: false }),
        competitionActivities: (db) => competitions.activities(db, '/1/', '1'),
        entryOfActivity: (db) => competitions.entryOfActivity(db, '1'),
        results: (db) => competitions.results(db, '1'),
      },
      'tests/integration/sql-models.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/models/models.points.repository.sql');
  });
});
