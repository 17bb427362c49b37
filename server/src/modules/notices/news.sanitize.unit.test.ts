import { describe, expect, it } from 'vitest';
import { htmlToText, safeHref, sanitizeArticleHtml } from './news.sanitize.js';

const IMG = '/api/public/news-images/abcdefABCDEF0123456789_-xyzXYZ00';

describe('article HTML allowlist', () => {
  it('keeps the allowed formatting', () => {
    const html = `<h2>标题</h2><p>第一段<strong>加粗</strong><em>强调</em><br>换行</p><ul><li>一</li><li>二</li></ul><blockquote>引用</blockquote><img src="${IMG}" alt="图"><a href="https://example.org/x?a=1&amp;b=2">外链</a><a href="/h5/#/services">站内</a>`;
    expect(sanitizeArticleHtml(html)).toBe(
      `<h2>标题</h2><p>第一段<strong>加粗</strong><em>强调</em><br>换行</p><ul><li>一</li><li>二</li></ul><blockquote>引用</blockquote><img src="${IMG}" alt="图"><a href="https://example.org/x?a=1&amp;b=2" target="_blank" rel="noopener noreferrer nofollow">外链</a><a href="/h5/#/services">站内</a>`,
    );
  });

  it('drops script and style with their content', () => {
    expect(sanitizeArticleHtml('<p>前</p><script>alert(1)</script><p>后</p>')).toBe('<p>前</p><p>后</p>');
    expect(sanitizeArticleHtml('<SCRIPT type="x">alert(1)</SCRIPT >正文')).toBe('正文');
    expect(sanitizeArticleHtml('<style>body{display:none}</style>正文')).toBe('正文');
    expect(sanitizeArticleHtml('<script>never closed <p>x</p>')).toBe('');
    expect(sanitizeArticleHtml('<svg><script>alert(1)</script></svg>文')).toBe('文');
    expect(sanitizeArticleHtml('<iframe src="https://evil.example"></iframe>文')).toBe('文');
  });

  it('drops event handlers, styles and classes', () => {
    expect(sanitizeArticleHtml('<p onclick="alert(1)" style="color:red" class="x">文</p>')).toBe('<p>文</p>');
    expect(sanitizeArticleHtml(`<img src="${IMG}" onerror="alert(1)">`)).toBe(`<img src="${IMG}">`);
    expect(sanitizeArticleHtml('<img src=x onerror=alert(1)>')).toBe('');
    expect(sanitizeArticleHtml('<img/src="x"/onerror="alert(1)">')).toBe('');
  });

  it('refuses javascript:, data: and protocol-relative links, however written', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      ' javascript:alert(1)',
      'java\tscript:alert(1)',
      'java&#x09;script:alert(1)',
      '&#106;avascript:alert(1)',
      '&#x6A;avascript&colon;alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox(1)',
      '//evil.example/',
      '/\\evil.example/',
    ]) {
      expect(safeHref(href), href).toBeNull();
      const out = sanitizeArticleHtml(`<a href="${href}">链接</a>`);
      expect(out, href).toBe('<a>链接</a>');
    }
  });

  it('images only from the news image route', () => {
    expect(sanitizeArticleHtml('<img src="https://evil.example/x.png">')).toBe('');
    expect(sanitizeArticleHtml('<img src="javascript:alert(1)">')).toBe('');
    expect(sanitizeArticleHtml('<img src="data:image/png;base64,AAAA">')).toBe('');
  });

  it('escapes text and never lets a broken tag through', () => {
    expect(sanitizeArticleHtml('1 < 2 && 3 > 2')).toBe('1 &lt; 2 &amp;&amp; 3 &gt; 2');
    expect(sanitizeArticleHtml('&lt;script&gt;alert(1)&lt;/script&gt;')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(sanitizeArticleHtml('<a href="x')).toBe('&lt;a href=&quot;x');
    expect(sanitizeArticleHtml('<p title="a>b">文</p>')).toBe('<p>文</p>');
    expect(sanitizeArticleHtml('<!-- <script>alert(1)</script> -->文')).toBe('文');
    expect(sanitizeArticleHtml('<!doctype html><?xml x?>文')).toBe('文');
  });

  it('closes what was left open and ignores stray closing tags', () => {
    expect(sanitizeArticleHtml('<p><strong>粗')).toBe('<p><strong>粗</strong></p>');
    expect(sanitizeArticleHtml('</p>文</div>')).toBe('文');
    expect(sanitizeArticleHtml('<ul><li>一<li>二</ul>')).toBe('<ul><li>一<li>二</li></li></ul>');
  });

  it('gives the plain text', () => {
    expect(htmlToText('<p>工会<strong>资讯</strong></p><p>第二段&amp;</p>')).toBe('工会 资讯 第二段&');
  });
});
