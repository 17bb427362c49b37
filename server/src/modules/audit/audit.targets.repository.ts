// The names of the objects a page of audit rows points at, so 审计日志 reads 账号「张三」 instead of
// 账号 #9. One statement for a page: only kinds whose name is not personal data (accounts, unions,
// roles, catalogue entries, campaigns, lists, activities) — a member's or applicant's name is never
// shown here; their rows keep the number.
import { sql } from 'kysely';
import type { Executor } from './audit.repository.js';

export const NAMED_TARGET_TYPES = ['account', 'org', 'role', 'campaign', 'match_list', 'service_type', 'activity'] as const;
export type NamedTargetType = (typeof NAMED_TARGET_TYPES)[number];

export const auditTargetsRepository = {
  /** `type:id` → name for the given targets (ids that are not integers are left out). */
  async names(db: Executor, targets: { type: string; id: string }[]): Promise<Map<string, string>> {
    const ids = (type: NamedTargetType) => [...new Set(targets.filter((t) => t.type === type && /^\d{1,18}$/.test(t.id)).map((t) => t.id))];
    const wanted = NAMED_TARGET_TYPES.map((type) => ({ type, ids: ids(type) })).filter((w) => w.ids.length);
    if (!wanted.length) return new Map();
    const part = (type: NamedTargetType, list: string[]) => {
      const arr = sql`cast(${sql.val(list)} as bigint[])`;
      switch (type) {
        case 'account':
          return sql`select 'account' as type, id::text as id, display_name || '（' || username || '）' as name from staff_accounts where id = any(${arr})`;
        case 'org':
          return sql`select 'org' as type, id::text as id, name from orgs where id = any(${arr})`;
        case 'role':
          return sql`select 'role' as type, id::text as id, name from roles where id = any(${arr})`;
        case 'campaign':
          return sql`select 'campaign' as type, id::text as id, name from campaigns where id = any(${arr})`;
        case 'match_list':
          return sql`select 'match_list' as type, id::text as id, name from match_lists where id = any(${arr})`;
        case 'service_type':
          return sql`select 'service_type' as type, id::text as id, name from service_types where id = any(${arr})`;
        case 'activity':
          return sql`select 'activity' as type, id::text as id, title as name from activities where id = any(${arr})`;
      }
    };
    const q = sql.join(
      wanted.map((w) => part(w.type, w.ids)),
      sql` union all `,
    );
    const rows = await sql<{ type: string; id: string; name: string }>`${q}`.execute(db);
    return new Map(rows.rows.map((r) => [`${r.type}:${r.id}`, r.name]));
  },
};
