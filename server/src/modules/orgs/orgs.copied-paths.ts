// The copies of a union's materialised path held outside `orgs` (a row's scope read by a prefix
// match), and what a move does with each. One list: orgs.move rewrites every COPIED_PATHS column in
// its transaction (orgsRepository.rewriteCopiedPaths), and tests/integration/org-move-paths.test.ts
// holds it against the live schema — a new *path column fails there until it is put here or in
// PATH_HISTORY.
import type { DB } from '../../db/schema.js';

/** A `*path` column of a table other than orgs (checked by the compiler against the row types). */
export type PathColumn = {
  [T in Exclude<keyof DB, 'orgs'>]: { table: T; column: Extract<keyof DB[T], `${string}path`> };
}[Exclude<keyof DB, 'orgs'>];

/** Copies that follow a move: every value under the moved node's old path gets its new path. */
export const COPIED_PATHS = [
  { table: 'memberships', column: 'org_path' },
  { table: 'join_applications', column: 'target_org_path' },
  { table: 'applications', column: 'org_path' },
  { table: 'applications', column: 'handling_org_path' },
  { table: 'service_types', column: 'org_path' },
  { table: 'lottery_draws', column: 'org_path' },
  { table: 'activities', column: 'org_path' },
  { table: 'activity_enrollments', column: 'org_path' },
  { table: 'notices', column: 'org_path' },
  { table: 'notice_recipients', column: 'org_path' },
  { table: 'news_items', column: 'org_path' },
  { table: 'news_items', column: 'target_path' },
] as const satisfies readonly PathColumn[];

/** Copies deliberately left as they were on a move, `table.column` → why. */
export const PATH_HISTORY: Readonly<Record<string, string>> = {
  'indicator_snapshots.org_path':
    'a snapshot of the tree on its day (with parent_id of that day); read by org_id / parent_id, never by path, so history stays as it was',
};
