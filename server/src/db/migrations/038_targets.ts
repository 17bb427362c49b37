import { sql, type Kysely } from 'kysely';

/**
 * Yearly targets and 工作质效评价 (issue 15 item 4, decision 026), and the indexes the cockpit's feed
 * (item 3) reads by time.
 *
 * - targets: one per (year, org, indicator): set by the org's parent (`set_by_org_id`), bound to a code
 *   of the indicator catalogue with ≥ / ≤ and a value in the indicator's unit; a county's cascade to its
 *   towns points at the county's own target (`parent_id`). Progress is never stored: it is the
 *   indicator over the org's subtree and the year.
 * - target_schemes / target_scheme_items: one 考核方案 per org and year; items are an indicator (scored
 *   from the assessed child's target by a rule) or a manual item (a score claimed with evidence and
 *   confirmed by a reviewer of the scheme's org).
 * - target_manual_scores: the claim per (item, assessed org), its evidence text and file, the review.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table targets (
      id bigserial primary key,
      year integer not null check (year between 2000 and 2100),
      org_id bigint not null references orgs (id),
      set_by_org_id bigint not null references orgs (id),
      indicator_code text not null check (indicator_code ~ '^[a-z_]+\\.[a-z_]+$'),
      comparison text not null check (comparison in ('gte', 'lte')),
      value numeric(16, 2) not null check (value >= 0),
      parent_id bigint references targets (id),
      note text,
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (year, org_id, indicator_code)
    )`.execute(db);
  await sql`create index targets_setter_idx on targets (set_by_org_id, year)`.execute(db);
  await sql`create index targets_parent_idx on targets (parent_id) where parent_id is not null`.execute(db);

  await sql`
    create table target_schemes (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      year integer not null check (year between 2000 and 2100),
      name text not null check (length(name) between 2 and 60),
      version integer not null default 1,
      created_by bigint references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (org_id, year)
    )`.execute(db);

  await sql`
    create table target_scheme_items (
      id bigserial primary key,
      scheme_id bigint not null references target_schemes (id),
      position integer not null,
      kind text not null check (kind in ('indicator', 'manual')),
      name text not null check (length(name) between 2 and 60),
      indicator_code text,
      rule text check (rule in ('linear', 'threshold', 'floor60')),
      weight numeric(6, 2) not null check (weight > 0 and weight <= 100),
      description text,
      check ((kind = 'indicator') = (indicator_code is not null and rule is not null))
    )`.execute(db);
  await sql`create index target_scheme_items_scheme_idx on target_scheme_items (scheme_id, position)`.execute(db);

  await sql`
    create table target_manual_scores (
      id bigserial primary key,
      item_id bigint not null references target_scheme_items (id),
      org_id bigint not null references orgs (id),
      claimed_score numeric(6, 2) not null check (claimed_score >= 0),
      evidence text not null,
      file_key text,
      file_name text,
      file_mime text,
      status text not null default 'submitted' check (status in ('submitted', 'confirmed', 'returned')),
      confirmed_score numeric(6, 2) check (confirmed_score >= 0),
      review_note text,
      submitted_by bigint not null references staff_accounts (id),
      submitted_at timestamptz not null,
      reviewed_by bigint references staff_accounts (id),
      reviewed_at timestamptz,
      version integer not null default 1,
      unique (item_id, org_id)
    )`.execute(db);

  // The cockpit's feed: the newest joins and finished cases by time (a window of days, newest first).
  await sql`create index membership_events_join_at_idx on membership_events (at desc) where type = 'join'`.execute(db);
  await sql`create index applications_finished_at_idx on applications (finished_at desc) where finished_at is not null`.execute(db);
  await sql`create index rights_tickets_closed_at_idx on rights_tickets (closed_at desc) where closed_at is not null`.execute(db);
}
