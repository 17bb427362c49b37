import { sql, type Kysely } from 'kysely';

// The roll at a million members (npm run bench -- --suite members). A roll search finds the
// matching people first (membersRepository.roll), so the name and pinyin-initials prefix
// indexes carry the person id: the lookup is an index-only scan instead of one random heap
// read per match (~10,000 reads for a two-letter initials search such as "wj").
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index people_name_cover_idx on people (name text_pattern_ops) include (id)`.execute(db);
  await sql`drop index people_name_idx`.execute(db);
  await sql`create index people_initials_cover_idx on people (name_initials text_pattern_ops) include (id)`.execute(db);
  await sql`drop index people_initials_idx`.execute(db);
}
