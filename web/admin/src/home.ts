// The answer of GET /api/home (issue 15, item 2): each block is present only when the caller holds its permission.
import type { Indicator } from './stats';

export type Link = { path: string; query?: Record<string, string> };

export interface HomeQueueSource {
  key: string;
  label: string;
  total: number;
  overdue: number;
  dueSoon: number;
  note: string;
  link: Link;
}

export interface HomeQueueItem {
  source: string;
  id: string;
  title: string;
  orgName: string;
  /** A deadline at a moment (ISO); shown in China time. */
  dueAt: string | null;
  /** A deadline on a day (China date YYYY-MM-DD); shown as the date. */
  dueOn: string | null;
  overdue: boolean;
  link: Link;
}

export interface HomeFigure {
  code: string;
  value: number | null;
  trend: { at: string; value: number | null }[];
  indicator: Indicator;
}

export interface HomeData {
  org: { id: string; name: string; typeLabel: string } | null;
  generatedAt: string;
  queue?: { total: number; overdue: number; dueSoon: number; sources: HomeQueueSource[]; items: HomeQueueItem[]; more: number };
  figures?: { title: string; period: { from: string; to: string }; snapshot: { takenAt: string } | null; items: HomeFigure[] };
  accounts?: { total: number; active: number; disabled: number; locked: number; mustChangePassword: number; neverSignedIn: number };
  roles?: { total: number; builtin: number; custom: number };
  sessions?: { online: number; items: { id: string; account: { username: string; displayName: string }; org: { name: string }; lastSeenAt: string; ip: string | null; current: boolean }[] };
  locked?: { total: number; items: { id: string; username: string; displayName: string; orgName: string; lockedUntil: string; failedLogins: number }[] };
  refusals?: { since: string; items: { id: string; at: string; actorName: string | null; actionLabel: string; orgName: string | null; ip: string | null }[] };
  audit?: {
    lastVerification: { at: string; by: string | null; ok: boolean; checked: number; problems: number } | null;
    recent: { id: string; at: string; actorName: string | null; actionLabel: string; orgName: string | null; outcome: 'success' | 'failure' }[];
  };
}
