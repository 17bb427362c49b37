// Row types for 通知公告 and 资讯 (migration 037). Merged into DB in schema.ts.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, DefaultedTimestamp, GeneratedId, Id, Timestamp } from './schema-common.js';

type NullableId = ColumnType<string | null, string | number | bigint | null | undefined, string | number | bigint | null>;
type NullableTime = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export type NoticeFilePurpose = 'attachment' | 'reply' | 'news_image';
export type NewsKind = 'article' | 'banner' | 'service';

/** What the sender picked: subtree roots with the levels below them, and single unions. */
export interface NoticeAudience {
  roots: { orgId: string; name: string; types: string[] }[];
  orgs: { orgId: string; name: string }[];
}

export interface NoticeFilesTable {
  id: GeneratedId;
  purpose: NoticeFilePurpose;
  org_id: Id;
  uploaded_by: Id;
  file_name: string;
  kind: 'image' | 'pdf';
  mime: string;
  size: number;
  sha256: string;
  storage_key: string;
  public_token: string | null;
  created_at: DefaultedTimestamp;
}

export interface NoticesTable {
  id: GeneratedId;
  org_id: Id;
  org_path: string;
  title: string;
  body: string;
  receipt_required: ColumnType<boolean, boolean | undefined, boolean>;
  receipt_prompt: string | null;
  receipt_deadline: NullableTime;
  audience: JSONColumnType<NoticeAudience, string, string>;
  recipient_count: number;
  created_by: Id;
  created_by_name: string;
  published_at: Timestamp;
  /** 撤回 (migration 046): when, by whom and why; null while the notice stands. */
  withdrawn_at: NullableTime;
  withdrawn_by_name: ColumnType<string | null, string | null | undefined, string | null>;
  withdraw_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface NoticeAttachmentsTable {
  notice_id: Id;
  file_id: Id;
  sort_order: number;
}

export interface NoticeRecipientsTable {
  notice_id: Id;
  org_id: Id;
  org_path: string;
  read_at: NullableTime;
  read_by_name: string | null;
  replied_at: NullableTime;
  replied_by_name: string | null;
  reply_text: string | null;
  reply_file_id: NullableId;
  reminded_at: NullableTime;
  remind_count: Generated<number>;
}

export interface NewsItemsTable {
  id: GeneratedId;
  kind: NewsKind;
  org_id: Id;
  org_path: string;
  target_org_id: Id;
  target_path: string;
  title: string;
  summary: string | null;
  body_html: ColumnType<string, string | undefined, string>;
  cover_file_id: NullableId;
  link: string | null;
  publish_at: NullableTime;
  withdrawn_at: NullableTime;
  withdraw_reason: string | null;
  read_count: Generated<number>;
  version: Generated<number>;
  created_by: Id;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface NewsReadsTable {
  news_id: Id;
  worker_id: Id;
  read_at: Timestamp;
}

export interface NoticesTables {
  notice_files: NoticeFilesTable;
  notices: NoticesTable;
  notice_attachments: NoticeAttachmentsTable;
  notice_recipients: NoticeRecipientsTable;
  news_items: NewsItemsTable;
  news_reads: NewsReadsTable;
}
