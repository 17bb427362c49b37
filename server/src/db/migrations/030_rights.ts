import { sql, type Kysely } from 'kysely';

/**
 * 维权 (issue 12, decision 020): consultations with an H5 thread, the mediator/expert pool, mediation
 * and 法律援助 cases (parties encrypted + blind-indexed + masked like the roll), sessions and a
 * timeline, 一函两书 numbered per issuing union and year, and 12351 tickets dispatched down the tree.
 * Every row carries the handling union (`org_id`): reads are prefix-scoped by its path.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table rights_consultations (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      channel text not null check (channel in ('window', 'hotline', 'online', 'station', 'petition')),
      topic text not null,
      worker_id bigint references workers(id),
      person_id bigint references people(id),
      name text not null,
      phone_enc text,
      phone_bidx text,
      phone_masked text,
      employer_name text,
      employer_org_id bigint references orgs(id),
      summary text not null,
      answer text,
      outcome text check (outcome in ('answered', 'to_mediation', 'to_legal_aid', 'to_petition', 'to_other')),
      status text not null default 'open' check (status in ('open', 'answered')),
      handler_id bigint,
      handler_name text,
      consulted_at timestamptz not null,
      answered_at timestamptz,
      callback_on date,
      satisfaction smallint check (satisfaction between 1 and 5),
      case_id bigint,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index rights_consultations_org_idx on rights_consultations (org_id, consulted_at desc)`.execute(db);
  await sql`create index rights_consultations_worker_idx on rights_consultations (worker_id) where worker_id is not null`.execute(db);

  await sql`
    create table rights_consultation_messages (
      id bigserial primary key,
      consultation_id bigint not null references rights_consultations(id) on delete cascade,
      author text not null check (author in ('worker', 'staff')),
      author_name text not null,
      body text not null,
      at timestamptz not null
    )`.execute(db);
  await sql`create index rights_consultation_messages_idx on rights_consultation_messages (consultation_id, id)`.execute(db);

  await sql`
    create table rights_pool (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      name text not null,
      organisation text not null,
      speciality text not null default '',
      kind text not null check (kind in ('lawyer', 'arbitrator', 'cadre', 'expert')),
      available boolean not null default true,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index rights_pool_org_idx on rights_pool (org_id)`.execute(db);

  await sql`
    create table rights_cases (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      kind text not null check (kind in ('mediation', 'legal_aid')),
      status text not null default 'open' check (status in ('open', 'succeeded', 'failed', 'withdrawn', 'closed')),
      consultation_id bigint references rights_consultations(id),
      application_id bigint,
      dispute_type text not null,
      employer_name text not null,
      summary text not null,
      claim_amount numeric(14,2) not null default 0 check (claim_amount >= 0),
      agreed_amount numeric(14,2) not null default 0 check (agreed_amount >= 0),
      paid_amount numeric(14,2) not null default 0 check (paid_amount >= 0),
      agreement_terms text,
      stage text,
      result text,
      referral_to text,
      referral_no text,
      opened_on date not null,
      due_on date not null,
      closed_on date,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index rights_cases_org_idx on rights_cases (org_id, kind, status)`.execute(db);
  await sql`create unique index rights_cases_one_per_application on rights_cases (application_id) where application_id is not null`.execute(db);
  await sql`alter table rights_consultations add constraint rights_consultations_case_fk foreign key (case_id) references rights_cases(id)`.execute(db);

  await sql`
    create table rights_case_parties (
      id bigserial primary key,
      case_id bigint not null references rights_cases(id) on delete cascade,
      name text not null,
      id_enc text,
      id_bidx text,
      id_masked text,
      phone_enc text,
      phone_bidx text,
      phone_masked text,
      sort integer not null default 0
    )`.execute(db);
  await sql`create index rights_case_parties_case_idx on rights_case_parties (case_id)`.execute(db);
  await sql`create index rights_case_parties_id_bidx on rights_case_parties (id_bidx) where id_bidx is not null`.execute(db);

  await sql`
    create table rights_case_staff (
      case_id bigint not null references rights_cases(id) on delete cascade,
      pool_id bigint not null references rights_pool(id),
      role text not null check (role in ('mediator', 'lawyer')),
      primary key (case_id, pool_id)
    )`.execute(db);

  await sql`
    create table rights_case_sessions (
      id bigserial primary key,
      case_id bigint not null references rights_cases(id) on delete cascade,
      held_on date not null,
      place text not null,
      online boolean not null default false,
      attendees text not null,
      minutes text not null,
      at timestamptz not null
    )`.execute(db);
  await sql`create index rights_case_sessions_case_idx on rights_case_sessions (case_id)`.execute(db);

  await sql`
    create table rights_case_events (
      id bigserial primary key,
      case_id bigint not null references rights_cases(id) on delete cascade,
      action text not null,
      comment text,
      actor_name text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index rights_case_events_case_idx on rights_case_events (case_id, id)`.execute(db);

  // 一函两书: numbered per issuing union and year (one counter row per union and year).
  await sql`
    create table rights_letter_counters (
      org_id bigint not null references orgs(id),
      year integer not null,
      last integer not null,
      primary key (org_id, year)
    )`.execute(db);
  await sql`
    create table rights_letters (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      kind text not null check (kind in ('reminder', 'opinion', 'proposal')),
      year integer not null,
      seq integer not null,
      doc_no text not null,
      parent_id bigint references rights_letters(id),
      employer_name text not null,
      addressee text not null,
      title text not null,
      facts text not null,
      legal_basis text not null,
      demands text not null,
      workers jsonb not null default '[]',
      issued_on date not null,
      reply_due_on date not null,
      status text not null default 'issued' check (status in ('issued', 'replied', 'rectified', 'refused', 'escalated', 'answered')),
      reply text,
      replied_on date,
      rectified boolean,
      answer text,
      answered_on date,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1,
      unique (org_id, year, seq)
    )`.execute(db);
  await sql`create index rights_letters_org_idx on rights_letters (org_id, issued_on desc)`.execute(db);
  await sql`create unique index rights_letters_one_proposal on rights_letters (parent_id) where parent_id is not null`.execute(db);

  // 12351 诉求工单: `org_id` is the union handling it now; `origin_org_id` the union that took it.
  await sql`
    create table rights_tickets (
      id bigserial primary key,
      org_id bigint not null references orgs(id),
      origin_org_id bigint not null references orgs(id),
      title text not null,
      content text not null,
      requester_name text not null,
      phone_enc text,
      phone_bidx text,
      phone_masked text,
      status text not null default 'open' check (status in ('open', 'answered', 'called_back', 'closed')),
      due_on date,
      overdue boolean not null default false,
      escalated_at timestamptz,
      answer text,
      answered_at timestamptz,
      satisfaction smallint check (satisfaction between 1 and 5),
      closed_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index rights_tickets_org_idx on rights_tickets (org_id, status)`.execute(db);
  await sql`create index rights_tickets_origin_idx on rights_tickets (origin_org_id)`.execute(db);
  await sql`create index rights_tickets_due_idx on rights_tickets (due_on) where status = 'open' and not overdue`.execute(db);
  await sql`
    create table rights_ticket_events (
      id bigserial primary key,
      ticket_id bigint not null references rights_tickets(id) on delete cascade,
      action text not null,
      org_name text,
      comment text,
      actor_name text,
      at timestamptz not null
    )`.execute(db);
  await sql`create index rights_ticket_events_idx on rights_ticket_events (ticket_id, id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'rights_ticket_events',
    'rights_tickets',
    'rights_letters',
    'rights_letter_counters',
    'rights_case_events',
    'rights_case_sessions',
    'rights_case_staff',
    'rights_case_parties',
  ])
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
  await sql`alter table rights_consultations drop constraint if exists rights_consultations_case_fk`.execute(db);
  for (const t of ['rights_cases', 'rights_pool', 'rights_consultation_messages', 'rights_consultations'])
    await sql`drop table if exists ${sql.table(t)}`.execute(db);
}
