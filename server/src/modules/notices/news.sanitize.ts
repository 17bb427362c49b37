// The article HTML allowlist (decision 025). The output is written by this file from tokens: only
// the tags and attributes below, every text and attribute value escaped anew, links only to http(s)
// or in-site paths, images only from the news image route. Whatever the tokenizer cannot read as an
// allowed tag ends up as escaped text, so a trick the tokenizer misreads is shown, never run.

/** Allowed tags and their allowed attributes. */
const TAGS: Record<string, readonly string[]> = {
  p: [],
  br: [],
  strong: [],
  b: [],
  em: [],
  i: [],
  u: [],
  s: [],
  h2: [],
  h3: [],
  h4: [],
  ul: [],
  ol: [],
  li: [],
  blockquote: [],
  hr: [],
  figure: [],
  figcaption: [],
  a: ['href', 'title'],
  img: ['src', 'alt'],
};
const VOID = new Set(['br', 'hr', 'img']);
/** Dropped with everything inside them (their content is raw text, or never meant to be shown). */
const DROP_WITH_CONTENT = new Set([
  'script',
  'style',
  'textarea',
  'title',
  'xmp',
  'iframe',
  'noembed',
  'noframes',
  'noscript',
  'plaintext',
  'template',
  'object',
  'svg',
  'math',
]);

/** Where images may come from: the news image route (an unguessable token each). */
export const NEWS_IMAGE_PREFIX = '/api/public/news-images/';

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes character references (numeric, and the few named ones articles use); unknown ones stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});?/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(code);
    }
    return NAMED[ref.toLowerCase()] ?? whole;
  });
}

export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** A link target: http(s) URLs and in-site paths (`/…` but not `//host`, `#…`); anything else (javascript:, data: …) is refused. */
export function safeHref(raw: string): string | null {
  // Browsers ignore control characters and whitespace inside a scheme: `java\tscript:` is javascript:.
  const v = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  if (/^https?:\/\/[^/\\]/i.test(v)) return v;
  if (/^\/(?![/\\])/.test(v) || v.startsWith('#')) return v;
  return null;
}

/** An image source: only the news image route. */
export function safeImageSrc(raw: string): string | null {
  const v = decodeEntities(raw).trim();
  return new RegExp(`^${NEWS_IMAGE_PREFIX.replace(/\//g, '\\/')}[A-Za-z0-9_-]{16,64}$`).test(v) ? v : null;
}

interface Tag {
  name: string;
  closing: boolean;
  attrs: [string, string][];
  end: number;
}

/** Reads a tag at `i` (just after '<'); undefined when it is not a well-formed tag (then '<' is text). */
function readTag(html: string, i: number): Tag | undefined {
  let j = i;
  const closing = html[j] === '/';
  if (closing) j++;
  const m = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(html.slice(j, j + 40));
  if (!m) return undefined;
  const name = m[0].toLowerCase();
  j += m[0].length;
  const attrs: [string, string][] = [];
  for (;;) {
    while (j < html.length && /[\s/]/.test(html[j]!)) j++;
    if (j >= html.length) return undefined;
    if (html[j] === '>') return { name, closing, attrs, end: j + 1 };
    const an = /^[^\s/>"'=]+/.exec(html.slice(j, j + 200));
    if (!an) return undefined;
    j += an[0].length;
    while (j < html.length && /\s/.test(html[j]!)) j++;
    let value = '';
    if (html[j] === '=') {
      j++;
      while (j < html.length && /\s/.test(html[j]!)) j++;
      const q = html[j];
      if (q === '"' || q === "'") {
        const close = html.indexOf(q, j + 1);
        if (close < 0) return undefined;
        value = html.slice(j + 1, close);
        j = close + 1;
      } else {
        const uv = /^[^\s>]*/.exec(html.slice(j))!;
        value = uv[0];
        j += uv[0].length;
      }
    }
    attrs.push([an[0].toLowerCase(), value]);
  }
}

function renderAttrs(name: string, attrs: [string, string][]): string | null {
  const allowed = TAGS[name]!;
  const out: string[] = [];
  const seen = new Set<string>();
  for (const [k, raw] of attrs) {
    if (!allowed.includes(k) || seen.has(k)) continue;
    seen.add(k);
    let v: string | null = decodeEntities(raw);
    if (k === 'href') v = safeHref(raw);
    if (k === 'src') v = safeImageSrc(raw);
    if (v === null) continue;
    out.push(` ${k}="${escapeHtml(v)}"`);
  }
  if (name === 'img' && !seen.has('src')) return null; // an image without an allowed source is dropped
  if (name === 'img' && !out.some((a) => a.startsWith(' src='))) return null;
  if (name === 'a' && out.some((a) => a.startsWith(' href="http'))) out.push(' target="_blank" rel="noopener noreferrer nofollow"');
  return out.join('');
}

/** Article HTML → the allowed subset. Text outside tags is kept (escaped); nesting is closed at the end. */
export function sanitizeArticleHtml(html: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let i = 0;
  const text = (s: string) => {
    if (s) out.push(escapeHtml(decodeEntities(s)));
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      text(html.slice(i));
      break;
    }
    text(html.slice(i, lt));
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    if (html[lt + 1] === '!' || html[lt + 1] === '?') {
      const end = html.indexOf('>', lt);
      i = end < 0 ? html.length : end + 1;
      continue;
    }
    const tag = readTag(html, lt + 1);
    if (!tag) {
      text('<');
      i = lt + 1;
      continue;
    }
    i = tag.end;
    if (DROP_WITH_CONTENT.has(tag.name)) {
      if (!tag.closing) {
        const close = html.toLowerCase().indexOf(`</${tag.name}`, i);
        i = close < 0 ? html.length : Math.max(i, html.indexOf('>', close) + 1 || html.length);
      }
      continue;
    }
    if (!TAGS[tag.name]) continue; // unknown tags go, their text stays
    if (tag.closing) {
      const at = open.lastIndexOf(tag.name);
      if (at < 0) continue;
      while (open.length > at) out.push(`</${open.pop()!}>`);
      continue;
    }
    const attrs = renderAttrs(tag.name, tag.attrs);
    if (attrs === null) continue;
    out.push(`<${tag.name}${attrs}>`);
    if (!VOID.has(tag.name)) open.push(tag.name);
  }
  while (open.length) out.push(`</${open.pop()!}>`);
  return out.join('');
}

/** The article's plain text (for summaries and the length check). */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}
