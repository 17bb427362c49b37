import { sql, type Kysely } from 'kysely';

/**
 * Roll search designed for the skew (issue 10, decision 012). A common surname (王, 李, 张: ~7 %
 * of people each) searched in a county used to walk every 王 of the city on `people` and only then
 * filter by the scope on `memberships`. The search keys now live on each membership beside its
 * scope, so one index range holds exactly the hits of one scope:
 * - `search_name`, `search_initials`, `search_pinyin`: copies of the person's name keys, kept by
 *   triggers (so every writer — single admissions, batches, COPY merges — fills them; a writer
 *   that sets them itself skips the look-up);
 * - a name or initials search is an equality on its first one or two characters (the "head")
 *   followed by the scope range, in the roll's default order
 *   (org_path, joined_on desc, id desc): page 1 reads 20 index entries, the capped count at most
 *   10,001 — whatever the scope level;
 * - longer initials and full pinyin are selective city-wide: (key, org_path) ranges, the scope
 *   checked in the index;
 * - the roll's other orders get an index each (join date; name = pinyin, then union).
 * `status` and the key ride along (INCLUDE) so the capped counts are index-only scans.
 * A phone's last four is read from the masked phone (`138****5678`) of people.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table memberships
      add column search_name text collate "C",
      add column search_initials text collate "C",
      add column search_pinyin text collate "C"`.execute(db);
  await sql`
    update memberships m set search_name = p.name, search_initials = p.name_initials, search_pinyin = p.name_pinyin
    from people p where p.id = m.person_id`.execute(db);
  await sql`
    alter table memberships
      alter column search_name set not null,
      alter column search_initials set not null,
      alter column search_pinyin set not null`.execute(db);

  await sql`
    create function memberships_search_keys() returns trigger language plpgsql as $$
    begin
      select p.name, p.name_initials, p.name_pinyin into new.search_name, new.search_initials, new.search_pinyin
      from people p where p.id = new.person_id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger memberships_search_keys before insert on memberships
    for each row when (new.search_name is null or new.search_initials is null or new.search_pinyin is null)
    execute function memberships_search_keys()`.execute(db);
  await sql`
    create function people_search_keys() returns trigger language plpgsql as $$
    begin
      update memberships set search_name = new.name, search_initials = new.name_initials, search_pinyin = new.name_pinyin
      where person_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger people_search_keys after update of name, name_initials, name_pinyin on people
    for each row when (old.name is distinct from new.name or old.name_initials is distinct from new.name_initials
      or old.name_pinyin is distinct from new.name_pinyin)
    execute function people_search_keys()`.execute(db);

  await sql`
    create index memberships_name_head_idx on memberships (left(search_name, 1), org_path, joined_on desc, id desc)
    include (status, search_name)`.execute(db);
  await sql`
    create index memberships_initials_head_idx on memberships (left(search_initials, 1), org_path, joined_on desc, id desc)
    include (status, search_initials)`.execute(db);
  // Two letters of initials (wj, zj: 3–5 % of people each) get their head too.
  await sql`
    create index memberships_initials_head2_idx on memberships (left(search_initials, 2), org_path, joined_on desc, id desc)
    include (status, search_initials)`.execute(db);
  // Two characters of a name (王伟: ~0.2 % of people) likewise; a longer name walks its two
  // characters' entries in the scope, checking the name in the index.
  await sql`
    create index memberships_name_head2_idx on memberships (left(search_name, 2), org_path, joined_on desc, id desc)
    include (status, search_name)`.execute(db);
  // Longer initials and full pinyin: the prefix range, the scope checked in the index; the page's
  // order columns ride along so its hits are sorted without reading the table.
  await sql`create index memberships_initials_idx on memberships (search_initials, org_path) include (status, joined_on, id)`.execute(db);
  await sql`create index memberships_pinyin_idx on memberships (search_pinyin, org_path, id) include (status, joined_on)`.execute(db);
  await sql`create index memberships_joined_idx on memberships (joined_on, id, org_path) include (status)`.execute(db);
  // The default order, now with the status the console always filters on and the other filters
  // (index-only counts, bounded for the filters: decision 012).
  await sql`
    create index memberships_scope_status_idx on memberships (org_path, joined_on desc, id desc)
    include (status, employment_form, is_migrant_worker, is_model_worker)`.execute(db);
  await sql`drop index memberships_scope_idx`.execute(db);
  // Initials are searched on memberships now.
  await sql`drop index people_initials_cover_idx`.execute(db);
  await sql`create index people_phone_last4_idx on people (right(phone_masked, 4)) include (id)`.execute(db);
}
