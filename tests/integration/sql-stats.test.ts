// The indicator catalogue's queries as SQL, snapshotted beside it (stats.repository.sql): a change
// of what a figure counts shows in review as plain SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statsRepository } from '../../server/src/modules/stats/stats.repository.js';
import { FLOW_CODES, STOCK_CODES } from '../../server/src/modules/stats/stats.catalogue.js';
import { createTestApp, type TestApp } from '../support/test-app.js';
import { captureSql } from '../support/sql-capture.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const period = {
  fromAt: new Date('2026-01-01T00:00:00+08:00'),
  toAt: new Date('2026-12-07T00:00:00+08:00'),
  fromDay: '2026-01-01',
  toDay: '2026-12-06',
};

describe('stats repository SQL', () => {
  it('stats', async () => {
    const text = await captureSql(
      t,
      {
        ...Object.fromEntries(STOCK_CODES.map((code) => [`snapshotStock ${code}`, (db) => statsRepository.snapshotStock(db, code, '2026-12-06')])),
        // With a read replica (decision 038): the count read there, the rows stored on the primary.
        'countStock members.live': (db) => statsRepository.countStock(db, 'members.live', '2026-12-06'),
        writeStock: (db) =>
          statsRepository.writeStock(db, 'members.live', '2026-12-06', [{ org_id: '1', org_path: '/1/', parent_id: null, value: '0', subtree_value: '3' }]),
        recordRun: (db) => statsRepository.recordRun(db, '2026-12-06', period.fromAt, 12),
        latestRun: (db) => statsRepository.latestRun(db, '2026-12-06'),
        thinSnapshots: (db) => statsRepository.thinSnapshots(db, '2026-12-06'),
        stockByChild: (db) => statsRepository.stockByChild(db, STOCK_CODES, '2026-12-06', '1'),
        ...Object.fromEntries(FLOW_CODES.map((code) => [`flowByChild ${code}`, (db) => statsRepository.flowByChild(db, code, '/1/', period)])),
        'flowByMonth members.joined': (db) => statsRepository.flowByMonth(db, 'members.joined', '/1/', period),
        stockByDay: (db) => statsRepository.stockByDay(db, 'members.live', '1', '2026-01-01', '2026-12-06'),
        stockByMonth: (db) => statsRepository.stockByMonth(db, 'members.live', '1', '2026-01-01', '2026-12-06'),
        children: (db) => statsRepository.children(db, '1'),
      },
      'tests/integration/sql-stats.test.ts',
    );
    await expect(text).toMatchFileSnapshot('../../server/src/modules/stats/stats.repository.sql');
  });
});
