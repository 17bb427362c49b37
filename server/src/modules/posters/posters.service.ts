// Printable A4 campaign posters (扫码入会): an SVG laid out here, rasterised by resvg with a CJK font
// from the system, and a one-page PDF with that image. No text is drawn by the PDF, so it needs no font.
import { existsSync } from 'node:fs';
// The rasteriser and the PDF writer are loaded on the first poster, not at start (memory).
import QRCode from 'qrcode';
import type { StaffActor } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { ModuleContext } from '../module-context.js';

/** A4 at 150 dpi. */
export const POSTER_WIDTH = 1240;
export const POSTER_HEIGHT = 1754;

/** Fonts tried in order after GONGHUI_FONT_FILE (Debian packages fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk). */
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf',
];

export class PosterFontMissing extends AppError {
  constructor() {
    super(
      'FONT_MISSING',
      '服务器缺少中文字体，无法生成海报。请安装 fonts-wqy-microhei（sudo apt-get install fonts-wqy-microhei），或用环境变量 GONGHUI_FONT_FILE 指定一个中文字体文件。',
    );
  }
}

export function findCjkFont(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env.GONGHUI_FONT_FILE?.trim();
  if (configured) return existsSync(configured) ? configured : null;
  return FONT_CANDIDATES.find((f) => existsSync(f)) ?? null;
}

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!);

/** Display width of a string in em (CJK and full-width characters 1, others about 0.55). */
function emWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffff]/.test(ch) ? 1 : 0.55;
  return w;
}

/** Splits text into lines of at most `maxEm` em, at most `maxLines` (the last one ends with …). */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const ch of text) {
    if (emWidth(line + ch) > maxEm) {
      lines.push(line);
      line = '';
    }
    line += ch;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, -1)}…`;
    return kept;
  }
  return lines;
}

function qrPath(text: string, x: number, y: number, size: number): { path: string; box: number } {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const cell = Math.floor(size / n);
  const box = cell * n;
  const ox = x + Math.floor((size - box) / 2);
  const oy = y + Math.floor((size - box) / 2);
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.modules.get(r, c)) d += `M${ox + c * cell} ${oy + r * cell}h${cell}v${cell}h-${cell}z`;
    }
  }
  return { path: d, box };
}

export interface PosterInput {
  orgName: string;
  /** Absent for an org's own poster (no campaign, no period). */
  campaignName?: string;
  joinUrl: string;
  startsOn?: string;
  endsOn?: string;
}

const dateCn = (d: string) => {
  const [y, m, day] = d.split('-');
  return `${y}年${Number(m)}月${Number(day)}日`;
};

export function posterSvg(p: PosterInput): string {
  const W = POSTER_WIDTH;
  const H = POSTER_HEIGHT;
  const red = '#c8161d';
  const cx = W / 2;
  const parts: string[] = [];
  const text = (x: number, y: number, size: number, content: string, attrs = '') =>
    parts.push(`<text x="${x}" y="${y}" font-size="${size}" ${attrs}>${escapeXml(content)}</text>`);

  parts.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  // Header band
  parts.push(`<rect width="${W}" height="330" fill="${red}"/>`);
  parts.push(`<circle cx="${cx}" cy="96" r="46" fill="#ffffff"/>`);
  text(cx, 116, 54, '工', `text-anchor="middle" fill="${red}" font-weight="bold"`);
  text(cx, 250, 104, '扫码加入工会', 'text-anchor="middle" fill="#ffffff" font-weight="bold" letter-spacing="12"');

  // Org and campaign
  let y = 430;
  for (const line of wrapText(p.orgName, 20, 2)) {
    text(cx, y, 52, line, 'text-anchor="middle" fill="#1d2b4f" font-weight="bold"');
    y += 66;
  }
  y += 6;
  for (const line of p.campaignName ? wrapText(p.campaignName, 24, 2) : []) {
    text(cx, y, 40, line, 'text-anchor="middle" fill="#303133"');
    y += 54;
  }

  // QR code with a frame
  const qrSize = 560;
  const qrTop = Math.max(y + 20, 600);
  parts.push(
    `<rect x="${cx - qrSize / 2 - 28}" y="${qrTop - 28}" width="${qrSize + 56}" height="${qrSize + 56}" rx="24" fill="#ffffff" stroke="${red}" stroke-width="6"/>`,
  );
  const qr = qrPath(p.joinUrl, cx - qrSize / 2, qrTop, qrSize);
  parts.push(`<path d="${qr.path}" fill="#000000" shape-rendering="crispEdges"/>`);
  y = qrTop + qrSize + 90;
  text(cx, y, 34, '请使用微信或手机浏览器扫描二维码', 'text-anchor="middle" fill="#606266"');

  // Steps
  const steps = ['扫码', '手机号登录', '填写信息提交'];
  const stepTop = y + 70;
  const boxW = 350;
  const gap = 50;
  const left = (W - (boxW * 3 + gap * 2)) / 2;
  steps.forEach((s, i) => {
    const x = left + i * (boxW + gap);
    parts.push(`<rect x="${x}" y="${stepTop}" width="${boxW}" height="130" rx="18" fill="#fdf2f2" stroke="#f3c7c9" stroke-width="3"/>`);
    parts.push(`<circle cx="${x + 62}" cy="${stepTop + 65}" r="34" fill="${red}"/>`);
    text(x + 62, stepTop + 80, 40, String(i + 1), 'text-anchor="middle" fill="#ffffff" font-weight="bold"');
    text(x + 100 + (boxW - 100) / 2, stepTop + 78, 36, s, 'text-anchor="middle" fill="#303133" font-weight="bold"');
    if (i < steps.length - 1) {
      const ax = x + boxW + 12;
      parts.push(`<path d="M${ax} ${stepTop + 65}h${gap - 24}m-12 -12l12 12l-12 12" stroke="${red}" stroke-width="5" fill="none"/>`);
    }
  });
  text(cx, stepTop + 200, 34, '工会审核后即成为会员，可在手机上领取电子会员卡', 'text-anchor="middle" fill="#606266"');

  // Validity and footer
  if (p.startsOn && p.endsOn)
    text(cx, stepTop + 290, 38, `活动有效期：${dateCn(p.startsOn)} 至 ${dateCn(p.endsOn)}`, `text-anchor="middle" fill="${red}" font-weight="bold"`);
  parts.push(`<rect y="${H - 120}" width="${W}" height="120" fill="#1d2b4f"/>`);
  text(cx, H - 68, 30, `${p.orgName} · 智慧工会服务平台`, 'text-anchor="middle" fill="#ffffff"');
  text(cx, H - 28, 22, p.joinUrl, 'text-anchor="middle" fill="#c0c4cc" font-family="monospace"');

  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif">${parts.join('')}</svg>`;
}

export async function renderPosterPng(p: PosterInput, fontFile: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  const resvg = new Resvg(posterSvg(p), {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: 'WenQuanYi Micro Hei' },
    fitTo: { mode: 'original' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}

/** One A4 page (595.28 × 841.89 pt) filled with the PNG. */
export async function renderPosterPdf(png: Buffer, title: string): Promise<Uint8Array> {
  const { PDFDocument } = await import('pdf-lib');
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setCreator('智慧工会服务平台');
  doc.setProducer('gonghui');
  const page = doc.addPage([595.28, 841.89]);
  const image = await doc.embedPng(png);
  page.drawImage(image, { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  return doc.save();
}

export function createPostersService(ctx: ModuleContext) {
  return {
    /** The campaign's poster; `origin` is the request's `protocol://host`. A campaign out of scope is 404. */
    async poster(actor: StaffActor, campaignId: string, origin: string, format: 'png' | 'pdf') {
      const campaign = await ctx.joining.getCampaign(actor, campaignId);
      const fontFile = findCjkFont();
      if (!fontFile) throw new PosterFontMissing();
      const input: PosterInput = {
        orgName: campaign.org.name,
        campaignName: campaign.name,
        joinUrl: `${origin}${campaign.joinPath}`,
        startsOn: campaign.startsOn,
        endsOn: campaign.endsOn,
      };
      const png = await renderPosterPng(input, fontFile);
      const fileName = `入会海报-${campaign.name}.${format}`;
      if (format === 'png') return { body: png, contentType: 'image/png', fileName };
      const pdf = await renderPosterPdf(png, `扫码加入工会 · ${campaign.name}`);
      return { body: Buffer.from(pdf), contentType: 'application/pdf', fileName };
    },

    /** An org's own poster (any time, no campaign): the QR opens the H5 join form with the org preselected. Out of scope is 404. */
    async orgPoster(actor: StaffActor, orgId: string, origin: string, format: 'png' | 'pdf') {
      const org = await ctx.orgs.findInScope(actor, orgId);
      if (!org) throw notFound('组织');
      const fontFile = findCjkFont();
      if (!fontFile) throw new PosterFontMissing();
      const png = await renderPosterPng({ orgName: org.name, joinUrl: `${origin}/h5/#/join?org=${org.id}` }, fontFile);
      const fileName = `入会海报-${org.name}.${format}`;
      if (format === 'png') return { body: png, contentType: 'image/png', fileName };
      const pdf = await renderPosterPdf(png, `扫码加入工会 · ${org.name}`);
      return { body: Buffer.from(pdf), contentType: 'application/pdf', fileName };
    },
  };
}

export type PostersService = ReturnType<typeof createPostersService>;
