import { sql, type Kysely } from 'kysely';

/**
 * Identity linking (issue 9, decision 009). A join application keeps what the applicant typed
 * (the ID and phones encrypted with blind indexes and masked copies, like people) and no longer
 * points at a person until a reviewer approves it: submitting never changes the roll.
 * One open application per phone; one person per worker account.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table join_applications
      alter column person_id drop not null,
      add column applicant_name text,
      add column applicant_id_type text,
      add column applicant_id_enc text,
      add column applicant_id_bidx text,
      add column applicant_id_masked text,
      add column applicant_sex text check (applicant_sex in ('M','F')),
      add column applicant_birth_date date,
      add column applicant_phone_enc text,
      add column applicant_phone_bidx text,
      add column applicant_phone_masked text,
      -- the rest of the form (education, 户籍, emergency contact with its phone encrypted …)
      add column applicant_extra jsonb not null default '{}',
      -- what the reviewer accepted on approval (name, phone, worker link) and what it did
      add column accepted jsonb`.execute(db);

  // Applications filed before this migration: what they hold is what the roll holds now.
  await sql`
    update join_applications a set
      applicant_name = p.name,
      applicant_id_type = p.id_type,
      applicant_id_enc = p.id_enc,
      applicant_id_bidx = p.id_bidx,
      applicant_id_masked = p.id_masked,
      applicant_sex = p.sex,
      applicant_birth_date = p.birth_date,
      applicant_phone_enc = p.phone_enc,
      applicant_phone_bidx = p.phone_bidx,
      applicant_phone_masked = p.phone_masked
    from people p where p.id = a.person_id`.execute(db);
  await sql`
    alter table join_applications
      alter column applicant_name set not null,
      alter column applicant_id_type set not null,
      alter column applicant_id_enc set not null,
      alter column applicant_id_bidx set not null,
      alter column applicant_id_masked set not null`.execute(db);

  // One open application per phone. Earlier data may hold several (one phone filing for many ID
  // numbers was the defect): the earliest stays open, the later ones are closed with a reason.
  await sql`
    with ranked as (
      select id, row_number() over (
        partition by applicant_phone_bidx
        order by (status = 'awaiting_release') desc, submitted_at, id) as rn
      from join_applications
      where status in ('pending','awaiting_release') and applicant_phone_bidx is not null)
    update join_applications a set
      status = 'rejected',
      reject_reason = '同一手机号同时有多份办理中的入会申请，系统仅保留最早的一份；如需办理请重新提交',
      reviewed_at = now(),
      version = a.version + 1
    from ranked r where r.id = a.id and r.rn > 1`.execute(db);
  await sql`drop index join_applications_one_open`.execute(db);
  await sql`
    create unique index join_applications_one_open_per_phone on join_applications (applicant_phone_bidx)
    where status in ('pending','awaiting_release')`.execute(db);
  // The reviewer sees other open applications carrying the same ID number.
  await sql`
    create index join_applications_open_by_id on join_applications (applicant_id_bidx)
    where status in ('pending','awaiting_release')`.execute(db);

  // A worker account is linked to at most one person. Where earlier data links one account to
  // several people, the person whose roll phone is the account's phone keeps it (then the one
  // with a live membership, then the newest); the others are unlinked.
  await sql`
    with ranked as (
      select p.id, row_number() over (
        partition by p.worker_id
        order by (p.phone_bidx is not distinct from w.phone_bidx) desc,
          exists (select 1 from memberships m where m.person_id = p.id and m.status in ('active','retained')) desc,
          p.id desc) as rn
      from people p join workers w on w.id = p.worker_id)
    update people p set worker_id = null, version = p.version + 1, updated_at = now()
    from ranked r where r.id = p.id and r.rn > 1`.execute(db);
  await sql`drop index people_worker_idx`.execute(db);
  await sql`create unique index people_one_per_worker on people (worker_id) where worker_id is not null`.execute(db);
}
