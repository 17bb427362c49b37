import { sql, type Kysely } from 'kysely';

/**
 * 工会经费 (issue 17, decision 031): money in integer fen (bigint), never numeric or floats.
 * Rates by region and effective date; what each unionised enterprise owes per month (payroll base ×
 * rate) and what it paid (税务代收 statements, bank transfers, 返还), each receipt split between the
 * levels by the region's ratios of the year (stored per receipt, so a later ratio change does not
 * rewrite history); 下拨 from a union to one below; budgets by category and spending with vouchers,
 * a spending row may name the activity (疗休养 …) it paid for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The rate (basis points of the wage bill: 200 = 2 %) of a region (an org subtree) from a date.
  await sql`
    create table funds_rates (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      rate_bp integer not null check (rate_bp > 0 and rate_bp <= 1000),
      effective_from date not null,
      note text not null default '',
      created_by text,
      created_at timestamptz not null default now(),
      unique (org_id, effective_from)
    )`.execute(db);

  // The split of a receipt between the levels, per region and year (basis points summing to 10000).
  await sql`
    create table funds_share_ratios (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      year integer not null check (year between 2000 and 2100),
      grassroots_bp integer not null check (grassroots_bp >= 0),
      town_bp integer not null check (town_bp >= 0),
      county_bp integer not null check (county_bp >= 0),
      city_bp integer not null check (city_bp >= 0),
      created_by text,
      created_at timestamptz not null default now(),
      version integer not null default 1,
      check (grassroots_bp + town_bp + county_bp + city_bp = 10000),
      unique (org_id, year)
    )`.execute(db);

  // What an enterprise owes for a month: payroll base × rate, less an approved reduction.
  await sql`
    create table funds_receivables (
      id bigserial primary key,
      enterprise_id bigint not null references enterprises(id),
      union_org_id bigint not null references orgs(id),
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      payroll_fen bigint not null check (payroll_fen >= 0),
      rate_bp integer not null,
      due_fen bigint not null check (due_fen >= 0),
      reduced_fen bigint not null default 0 check (reduced_fen >= 0 and reduced_fen <= due_fen),
      reduction_reason text,
      reduction_approved_by text,
      last_reminded_on date,
      created_at timestamptz not null default now(),
      version integer not null default 1,
      unique (enterprise_id, period)
    )`.execute(db);
  await sql`create index funds_receivables_union_idx on funds_receivables (union_org_id, period)`.execute(db);
  // the monthly 催缴 sweep: receivables not reminded lately
  await sql`create index funds_receivables_remind_idx on funds_receivables (last_reminded_on nulls first, id)`.execute(db);

  await sql`
    create table funds_import_jobs (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      uploaded_by bigint,
      uploaded_by_name text,
      file_name text not null,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      processed integer not null default 0,
      added integer not null default 0,
      duplicate integer not null default 0,
      failed integer not null default 0,
      headers jsonb not null default '[]',
      message text,
      created_at timestamptz not null,
      finished_at timestamptz
    )`.execute(db);
  await sql`
    create table funds_import_errors (
      job_id bigint not null references funds_import_jobs(id) on delete cascade,
      row_no integer not null,
      cells jsonb not null,
      reason text not null,
      primary key (job_id, row_no)
    )`.execute(db);

  // A payment received. A statement row's 税票号 / a bank serial makes it idempotent per channel.
  await sql`
    create table funds_receipts (
      id bigserial primary key,
      enterprise_id bigint not null references enterprises(id),
      union_org_id bigint not null references orgs(id),
      period text not null check (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
      amount_fen bigint not null check (amount_fen > 0),
      received_on date not null,
      channel text not null check (channel in ('tax', 'bank', 'refund')),
      source_ref text,
      import_job_id bigint references funds_import_jobs(id),
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  // Idempotent per enterprise: a ticket number another union imported (by mistake or on purpose) for its own
  // enterprise cannot make this enterprise's receipt look "already imported".
  await sql`create unique index funds_receipts_source on funds_receipts (channel, enterprise_id, source_ref) where source_ref is not null`.execute(db);
  await sql`create index funds_receipts_union_idx on funds_receipts (union_org_id, received_on)`.execute(db);
  await sql`create index funds_receipts_enterprise_idx on funds_receipts (enterprise_id, period)`.execute(db);

  // The receipt's split: one row per level present (a missing level's share folds into the next one up).
  await sql`
    create table funds_receipt_shares (
      receipt_id bigint not null references funds_receipts(id) on delete cascade,
      level text not null check (level in ('grassroots', 'town', 'county', 'city')),
      org_id bigint not null references orgs(id),
      amount_fen bigint not null check (amount_fen >= 0),
      primary key (receipt_id, level)
    )`.execute(db);
  await sql`create index funds_receipt_shares_org_idx on funds_receipt_shares (org_id)`.execute(db);

  // 下拨: from a union to one in its subtree.
  await sql`
    create table funds_allocations (
      id bigserial primary key,
      from_org_id bigint not null references orgs(id),
      to_org_id bigint not null references orgs(id),
      amount_fen bigint not null check (amount_fen > 0),
      allocated_on date not null,
      purpose text not null,
      created_by text,
      created_at timestamptz not null default now(),
      check (from_org_id <> to_org_id)
    )`.execute(db);
  await sql`create index funds_allocations_from_idx on funds_allocations (from_org_id, allocated_on)`.execute(db);
  await sql`create index funds_allocations_to_idx on funds_allocations (to_org_id, allocated_on)`.execute(db);

  // Budgets by category and the spending against them.
  await sql`
    create table funds_budgets (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      year integer not null check (year between 2000 and 2100),
      category text not null check (category in ('activities', 'rights', 'aid', 'business', 'admin', 'capital', 'other')),
      amount_fen bigint not null check (amount_fen >= 0),
      note text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      unique (org_id, year, category)
    )`.execute(db);
  await sql`
    create table funds_spending (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      category text not null check (category in ('activities', 'rights', 'aid', 'business', 'admin', 'capital', 'other')),
      amount_fen bigint not null check (amount_fen > 0),
      spent_on date not null,
      payee text not null,
      purpose text not null,
      activity_id bigint references activities(id),
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index funds_spending_org_idx on funds_spending (org_id, spent_on)`.execute(db);
  await sql`create index funds_spending_activity_idx on funds_spending (activity_id) where activity_id is not null`.execute(db);
  await sql`
    create table funds_spending_vouchers (
      id bigserial primary key,
      spending_id bigint not null references funds_spending(id) on delete cascade,
      file_key text not null,
      file_name text not null,
      file_mime text not null,
      bytes integer not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}
