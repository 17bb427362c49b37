// The indicator catalogue in the console: types of /api/stats answers, how a figure is shown, and the
// link to the rows behind it (the list page with the org and the period as its filters).
import type { RouteLocationRaw } from 'vue-router';
import { can, serverToday } from './session';

export interface Indicator {
  code: string;
  name: string;
  unit: string;
  category: string;
  definition: string;
  kind: 'stock' | 'flow' | 'ratio';
  money?: boolean;
  rows?: { path: string; query: Record<string, string>; periodParams?: { from: string; to: string }; permission: string };
}

export type Values = Record<string, number | null>;

export interface StatsComparison {
  org: { id: string; name: string; type: string; typeLabel: string };
  period: { from: string; to: string };
  snapshot: { day: string; takenAt: string; durationMs: number } | null;
  totals: Values;
  own: Values;
  children: { id: string; name: string; type: string; typeLabel: string; values: Values }[];
}

export interface StatsOverview extends StatsComparison {
  indicators: Indicator[];
}

export interface IndicatorDetail extends StatsComparison {
  indicator: Indicator;
  trend: { at: string; value: number | null }[];
}

/** 12,345 / 1.2万 / 12.5% / ¥1,234.50 */
export function formatValue(ind: Pick<Indicator, 'unit' | 'money'>, v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (ind.unit === '%') return `${v.toFixed(1)}%`;
  if (ind.money) return `¥${v.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return v.toLocaleString('zh-CN');
}

/** The rows behind a figure for an org and period, or null when the caller may not read them. */
export function rowsLink(ind: Indicator, orgId: string, orgName: string, period: { from: string; to: string }): RouteLocationRaw | null {
  if (!ind.rows || !can(ind.rows.permission)) return null;
  const query: Record<string, string> = { ...ind.rows.query, orgId, orgName };
  if (ind.rows.periodParams) {
    query[ind.rows.periodParams.from] = period.from;
    query[ind.rows.periodParams.to] = period.to;
  }
  return { path: ind.rows.path, query };
}

/** 本年 / 近 12 个月 / 上一年, as the API takes them (China dates), counted from the server's day. */
export function presetPeriod(preset: 'year' | 'last12' | 'lastYear', today = new Date(`${serverToday()}T12:00:00`)): { from: string; to: string } {
  const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  const y = today.getFullYear();
  if (preset === 'lastYear') return { from: `${y - 1}-01-01`, to: `${y - 1}-12-31` };
  if (preset === 'last12') return { from: day(new Date(y - 1, today.getMonth(), today.getDate() + 1)), to: day(today) };
  return { from: `${y}-01-01`, to: day(today) };
}
