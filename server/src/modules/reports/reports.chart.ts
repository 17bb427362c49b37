// Bar charts for the annual report as PNG: an SVG laid out here (value labels on the bars, category
// labels under them), rasterised by resvg with the system's CJK font (as the posters are).
import { findCjkFont, PosterFontMissing } from '../posters/posters.service.js';

export interface Bar {
  label: string;
  value: number;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);

/** A "nice" axis maximum: 1, 2, 2.5 or 5 × 10^n at or above the largest value. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

export const CHART_WIDTH = 1200;
export const CHART_HEIGHT = 600;

export function barChartSvg(title: string, unit: string, bars: Bar[]): string {
  const W = CHART_WIDTH;
  const H = CHART_HEIGHT;
  const left = 90;
  const right = 30;
  const top = 80;
  const bottom = 110;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.value)));
  const parts: string[] = [`<rect width="${W}" height="${H}" fill="#ffffff"/>`];
  parts.push(`<text x="${W / 2}" y="44" font-size="30" text-anchor="middle" fill="#303133" font-weight="bold">${escapeXml(title)}</text>`);
  parts.push(`<text x="${left - 10}" y="${top - 16}" font-size="20" text-anchor="end" fill="#606266">${escapeXml(unit)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (plotH * i) / 4;
    const v = (max * i) / 4;
    parts.push(`<line x1="${left}" y1="${y}" x2="${W - right}" y2="${y}" stroke="${i === 0 ? '#909399' : '#e4e7ed'}" stroke-width="${i === 0 ? 2 : 1}"/>`);
    parts.push(`<text x="${left - 10}" y="${y + 7}" font-size="20" text-anchor="end" fill="#606266">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`);
  }
  const n = Math.max(1, bars.length);
  const slot = plotW / n;
  const barW = Math.min(70, slot * 0.6);
  bars.forEach((b, i) => {
    const h = (plotH * b.value) / max;
    const x = left + slot * i + (slot - barW) / 2;
    const y = top + plotH - h;
    parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="#c8161d" rx="3"/>`);
    parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 8).toFixed(1)}" font-size="20" text-anchor="middle" fill="#303133">${b.value}</text>`);
    // Long labels (a town's name) are cut to fit their slot.
    const maxChars = Math.max(2, Math.floor(slot / 22));
    const label = b.label.length > maxChars ? `${b.label.slice(0, maxChars - 1)}…` : b.label;
    parts.push(`<text x="${(left + slot * i + slot / 2).toFixed(1)}" y="${top + plotH + 34}" font-size="20" text-anchor="middle" fill="#606266">${escapeXml(label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif">${parts.join('')}</svg>`;
}

export async function barChartPng(title: string, unit: string, bars: Bar[]): Promise<Buffer> {
  const font = findCjkFont();
  if (!font) throw new PosterFontMissing();
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(barChartSvg(title, unit, bars), {
    font: { fontFiles: [font], loadSystemFonts: false, defaultFontFamily: 'WenQuanYi Micro Hei' },
    fitTo: { mode: 'original' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
