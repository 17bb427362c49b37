import { sql, type Kysely } from 'kysely';

/**
 * 通知公告 down the tree and 资讯 to workers (issue 15 items 6–7, decision 025).
 * A notice is sent by one union to chosen unions of its subtree (one recipient row per union: read,
 * 回执, reminders); news items (articles, banners, 服务 highlights) are published by a union to the
 * workers of one subtree (target_path), shown from publish_at until withdrawn. Files (attachments,
 * 回执 files, article images) are kept in the FileStore beside the applications' attachments.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table notice_files (
      id bigserial primary key,
      purpose text not null check (purpose in ('attachment', 'reply', 'news_image')),
      org_id bigint not null references orgs (id),
      uploaded_by bigint not null references staff_accounts (id),
      file_name text not null,
      kind text not null check (kind in ('image', 'pdf')),
      mime text not null,
      size integer not null check (size > 0),
      sha256 text not null,
      storage_key text not null unique,
      -- news images are shown to workers by this unguessable token (published content, no personal data)
      public_token text unique,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index notice_files_uploader_idx on notice_files (uploaded_by, created_at)`.execute(db);

  await sql`
    create table notices (
      id bigserial primary key,
      org_id bigint not null references orgs (id),
      org_path text not null,
      title text not null check (length(title) between 2 and 100),
      body text not null check (length(body) between 1 and 20000),
      receipt_required boolean not null default false,
      receipt_prompt text,
      receipt_deadline timestamptz,
      -- what the sender picked (roots and levels, or single unions), for the detail page
      audience jsonb not null,
      recipient_count integer not null,
      created_by bigint not null references staff_accounts (id),
      created_by_name text not null,
      published_at timestamptz not null,
      check (not receipt_required or receipt_deadline is not null)
    )`.execute(db);
  await sql`create index notices_sender_idx on notices (org_path text_pattern_ops, published_at desc)`.execute(db);

  await sql`
    create table notice_attachments (
      notice_id bigint not null references notices (id),
      file_id bigint not null unique references notice_files (id),
      sort_order smallint not null,
      primary key (notice_id, file_id)
    )`.execute(db);

  await sql`
    create table notice_recipients (
      notice_id bigint not null references notices (id),
      org_id bigint not null references orgs (id),
      org_path text not null,
      read_at timestamptz,
      read_by_name text,
      replied_at timestamptz,
      replied_by_name text,
      reply_text text,
      reply_file_id bigint unique references notice_files (id),
      reminded_at timestamptz,
      remind_count integer not null default 0,
      primary key (notice_id, org_id)
    )`.execute(db);
  // 收到的: a union's received notices, newest first.
  await sql`create index notice_recipients_org_idx on notice_recipients (org_id, notice_id desc)`.execute(db);

  await sql`
    create table news_items (
      id bigserial primary key,
      kind text not null check (kind in ('article', 'banner', 'service')),
      org_id bigint not null references orgs (id),
      org_path text not null,
      target_org_id bigint not null references orgs (id),
      target_path text not null,
      title text not null check (length(title) between 2 and 80),
      summary text,
      body_html text not null default '',
      cover_file_id bigint references notice_files (id),
      link text,
      publish_at timestamptz,
      withdrawn_at timestamptz,
      withdraw_reason text,
      read_count integer not null default 0,
      version integer not null default 1,
      created_by bigint not null references staff_accounts (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index news_items_org_idx on news_items (org_path text_pattern_ops, id desc)`.execute(db);
  // The worker's feed: items targeted at one of the worker's union chain (a handful of exact paths).
  await sql`create index news_items_feed_idx on news_items (target_path, publish_at desc) where withdrawn_at is null and publish_at is not null`.execute(db);

  await sql`
    create table news_reads (
      news_id bigint not null references news_items (id),
      worker_id bigint not null references workers (id),
      read_at timestamptz not null,
      primary key (news_id, worker_id)
    )`.execute(db);
}
