// The statistics return's queries as SQL, snapshotted beside them (reports.repository.sql).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportsRepository } from '../../server/src/modules/reports/reports.repository.js';
import { bounds } from '../../server/src/modules/reports/reports.service.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const y = bounds(2026);
const at = new Date('2026-11-21T00:00:00Z');

describe('reports repository SQL', () => {
  it('reports', async () => {
    const text = await captureSql(
      t,
      {
        orgs: (db) => reportsRepository.orgs(db, '/1/', y),
        members: (db) => reportsRepository.members(db, '/1/', y),
        stations: (db) => reportsRepository.stations(db, '/1/', y),
        aid: (db) => reportsRepository.aid(db, '/1/', y),
        rights: (db) => reportsRepository.rights(db, '/1/', y),
        joinedByMonth: (db) => reportsRepository.joinedByMonth(db, '/1/', y),
        children: (db) => reportsRepository.children(db, '1'),
        highlights: (db) => reportsRepository.highlights(db, '1', 2026),
        insertHighlights: (db) => reportsRepository.insertHighlights(db, { org_id: '1', year: 2026, body: '亮点', updated_by: '1', updated_at: at }),
        updateHighlights: (db) => reportsRepository.updateHighlights(db, '1', 2026, 1, { body: '亮点', updated_by: '1', updated_at: at }),
      },
      'tests/integration/sql-reports.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/reports/reports.repository.sql');
  });
});
