// Certificates (技能竞赛 awards): a .docx (docx) and a one-page PDF (SVG → PNG with the system CJK font
// through resvg, as the posters do, then pdf-lib), both carrying a QR code of the public verification
// page `/h5/#/certificates/verify?code=…`. The code is random (not guessable); verification answers
// only the masked holder name, the activity, the award and the date.
import { randomBytes } from 'node:crypto';
// docx, the rasteriser and the PDF writer are loaded on the first certificate, not at start (memory).
import type { AlignmentType } from 'docx';
import QRCode from 'qrcode';
import { findCjkFont, PosterFontMissing } from '../posters/posters.service.js';
import { maskName } from '../cards/cards.service.js';

export interface CertificateView {
  id: string;
  code: string;
  holderName: string;
  award: string;
  issuedOn: string;
  activityTitle: string;
  orgName: string;
}

/** 20 random characters (about 99 bits) from an alphabet without look-alikes (no I, L, O, 0, 1). */
export function newCertificateCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(20);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

export const isCertificateCode = (code: string) => /^[A-HJKMNP-Z2-9]{20}$/.test(code);

export const verifyPathOf = (code: string) => `/h5/#/certificates/verify?code=${code}`;

const dateCn = (d: string) => `${d.slice(0, 4)} 年 ${Number(d.slice(5, 7))} 月 ${Number(d.slice(8, 10))} 日`;

function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** Public answer for a certificate code. */
export function verification(c: CertificateView | undefined) {
  if (!c) return { valid: false as const };
  return {
    valid: true as const,
    holderNameMasked: maskName(c.holderName),
    activityTitle: c.activityTitle,
    award: c.award,
    issuedOn: c.issuedOn,
    orgName: c.orgName,
  };
}

export async function certificateDocx(c: CertificateView, verifyUrl: string): Promise<Buffer> {
  const { AlignmentType, Document, ImageRun, Packer, Paragraph, TextRun } = await import('docx');
  const qr = await QRCode.toBuffer(verifyUrl, { margin: 1, width: 300, errorCorrectionLevel: 'M' });
  const p = (text: string, size: number, opts: { bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; before?: number } = {}) =>
    new Paragraph({
      alignment: opts.align ?? AlignmentType.CENTER,
      spacing: { before: opts.before ?? 0, after: 200 },
      children: [new TextRun({ text, size, bold: opts.bold ?? false, font: { eastAsia: '仿宋_GB2312', ascii: 'Times New Roman' } })],
    });
  const doc = new Document({
    creator: '智慧工会服务平台',
    title: `荣誉证书 · ${c.activityTitle}`,
    sections: [
      {
        properties: { page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } } },
        children: [
          p('荣 誉 证 书', 72, { bold: true, before: 1200 }),
          p(`${c.holderName} 同志：`, 36, { align: AlignmentType.LEFT, before: 800 }),
          p(`在「${c.activityTitle}」中荣获`, 32),
          p(c.award, 48, { bold: true }),
          p('特发此证，以资鼓励。', 32),
          p(c.orgName, 32, { align: AlignmentType.RIGHT, before: 800 }),
          p(dateCn(c.issuedOn), 32, { align: AlignmentType.RIGHT }),
          new Paragraph({
            alignment: AlignmentType.LEFT,
            spacing: { before: 400 },
            children: [new ImageRun({ type: 'png', data: qr, transformation: { width: 110, height: 110 } })],
          }),
          p(`证书编号：${c.code}（扫码核验）`, 20, { align: AlignmentType.LEFT }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

const W = 1754;
const H = 1240;

export function certificateSvg(c: CertificateView): string {
  const text = (x: number, y: number, size: number, content: string, attrs = '') =>
    `<text x="${x}" y="${y}" font-size="${size}" ${attrs}>${escapeXml(content)}</text>`;
  const cx = W / 2;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif">`,
    `<rect x="0" y="0" width="${W}" height="${H}" fill="#fffdf5"/>`,
    `<rect x="40" y="40" width="${W - 80}" height="${H - 80}" fill="none" stroke="#c8102e" stroke-width="12"/>`,
    `<rect x="70" y="70" width="${W - 140}" height="${H - 140}" fill="none" stroke="#d4a017" stroke-width="4"/>`,
    text(cx, 250, 110, '荣誉证书', `text-anchor="middle" fill="#c8102e" font-weight="bold" letter-spacing="30"`),
    text(220, 450, 56, `${c.holderName} 同志：`, 'fill="#303133"'),
    text(cx, 590, 48, `在「${c.activityTitle}」中荣获`, 'text-anchor="middle" fill="#303133"'),
    text(cx, 720, 84, c.award, 'text-anchor="middle" fill="#c8102e" font-weight="bold"'),
    text(cx, 840, 44, '特发此证，以资鼓励。', 'text-anchor="middle" fill="#303133"'),
    text(W - 220, 990, 44, c.orgName, 'text-anchor="end" fill="#303133"'),
    text(W - 220, 1070, 40, dateCn(c.issuedOn), 'text-anchor="end" fill="#303133"'),
    text(440, 1150, 26, `证书编号 ${c.code} · 扫码核验`, 'fill="#909399"'),
    '</svg>',
  ].join('');
}

/** A4 landscape PDF: the rendered certificate with the verification QR drawn in the lower left. */
export async function certificatePdf(c: CertificateView, verifyUrl: string): Promise<Buffer> {
  const [{ Resvg }, { PDFDocument }] = await Promise.all([import('@resvg/resvg-js'), import('pdf-lib')]);
  const fontFile = findCjkFont();
  if (!fontFile) throw new PosterFontMissing();
  const png = new Resvg(certificateSvg(c), {
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: 'WenQuanYi Micro Hei' },
    fitTo: { mode: 'original' },
    background: '#ffffff',
  })
    .render()
    .asPng();
  const qr = await QRCode.toBuffer(verifyUrl, { margin: 1, width: 300, errorCorrectionLevel: 'M' });
  const doc = await PDFDocument.create();
  doc.setTitle(`荣誉证书 · ${c.activityTitle}`);
  doc.setCreator('智慧工会服务平台');
  doc.setProducer('gonghui');
  const page = doc.addPage([841.89, 595.28]);
  page.drawImage(await doc.embedPng(png), { x: 0, y: 0, width: page.getWidth(), height: page.getHeight() });
  const size = 96;
  page.drawImage(await doc.embedPng(qr), { x: 80, y: 60, width: size, height: size });
  return Buffer.from(await doc.save());
}
