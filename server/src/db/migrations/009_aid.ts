import { sql, type Kysely } from 'kysely';

// Aid funds: budgets per union per year per fund, the ledger of disbursements (issue 4).
// The database guarantees what matters: spent never exceeds the budget (check constraint plus a
// guarded update), money is numeric(14,2), one budget per union/year/fund.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table aid_funds (
      code text primary key,
      name text not null,
      sort integer not null default 0
    )`.execute(db);

  await sql`
    create table aid_budgets (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      year integer not null check (year between 2000 and 2100),
      fund_code text not null references aid_funds(code),
      amount numeric(14,2) not null check (amount >= 0),
      spent numeric(14,2) not null default 0 check (spent >= 0),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint aid_budgets_spent_within check (spent <= amount),
      constraint aid_budgets_one unique (org_id, year, fund_code)
    )`.execute(db);

  await sql`
    create table aid_disbursements (
      id bigserial primary key,
      budget_id bigint not null references aid_budgets(id),
      org_id bigint not null references orgs(id),
      year integer not null,
      fund_code text not null references aid_funds(code),
      amount numeric(14,2) not null check (amount > 0),
      status text not null default 'paid' check (status in ('paid', 'reversed')),
      person_id bigint not null references people(id),
      application_id bigint,
      hardship_file_id bigint,
      cause text,
      category text,
      note text,
      paid_at timestamptz not null,
      paid_by text,
      reversed_at timestamptz,
      reversal_reason text
    )`.execute(db);
  await sql`create index aid_disbursements_budget_idx on aid_disbursements (budget_id)`.execute(db);
  await sql`create index aid_disbursements_org_idx on aid_disbursements (org_id, year)`.execute(db);
  await sql`create index aid_disbursements_person_idx on aid_disbursements (person_id)`.execute(db);
  await sql`create index aid_disbursements_file_idx on aid_disbursements (hardship_file_id) where hardship_file_id is not null`.execute(db);
  await sql`create index aid_disbursements_application_idx on aid_disbursements (application_id) where application_id is not null`.execute(db);

  await sql`
    create table aid_movements (
      id bigserial primary key,
      budget_id bigint not null references aid_budgets(id),
      kind text not null check (kind in ('allocation', 'adjustment', 'disbursement', 'reversal')),
      amount numeric(14,2) not null,
      balance_after numeric(14,2) not null,
      reason text,
      disbursement_id bigint references aid_disbursements(id),
      actor_id text,
      actor_name text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index aid_movements_budget_idx on aid_movements (budget_id, id)`.execute(db);
}
