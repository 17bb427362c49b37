// 工会资讯 for the worker: the shapes the H5 reads and where a card leads.
import type { RouteLocationRaw } from 'vue-router';

export interface NewsCard {
  id: string;
  kind: 'article' | 'banner' | 'service';
  title: string;
  summary: string | null;
  link: string | null;
  orgName: string;
  imageUrl: string | null;
  publishedAt: string;
  readCount: number;
}

export interface NewsHome {
  banners: NewsCard[];
  services: NewsCard[];
  articles: NewsCard[];
  moreArticles: boolean;
}

/** An article opens its page; a banner or 服务推荐 its link (an H5 page in the app, or an outside address). */
export function target(n: NewsCard): { to?: RouteLocationRaw; href?: string } {
  if (n.kind === 'article' || !n.link) return { to: { name: 'news-article', params: { id: n.id } } };
  const inApp = /^(?:\/h5\/)?#(\/.*)$/.exec(n.link);
  return inApp ? { to: inApp[1]! } : { href: n.link };
}

export function formatDay(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).replace(/\//g, '-');
}
