import { describe, expect, it } from 'vitest';
import { cleanInput, cleanText, codePointLength, FORBIDDEN_TEXT_MESSAGE, hasForbiddenChars, NESTING_MESSAGE } from './text.js';

describe('cleanText: refused characters', () => {
  const refused: [string, string][] = [
    ['NUL', 'a\u0000b'],
    ['other C0 control (ESC)', 'a\u001bb'],
    ['DEL', 'a\u007fb'],
    ['lone high surrogate', 'a\ud800b'],
    ['lone high surrogate at the end', '张三\ud840'],
    ['lone low surrogate', '\udc00张'],
    ['surrogates in the wrong order', '\udc00\ud800'],
    ...['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'].map(
      (c) => [`bidi U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, `32090219900101${c}1234`] as [string, string],
    ),
    ...['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff'].map(
      (c) => [`zero-width U+${c.codePointAt(0)!.toString(16).toUpperCase()}`, `张${c}三`] as [string, string],
    ),
  ];
  it.each(refused)('%s', (_what, s) => {
    expect(hasForbiddenChars(s)).toBe(true);
    expect(cleanText(s)).toBeNull();
  });

  it('keeps tab, newline, CR, CJK (also outside the BMP), emoji and Latin accents', () => {
    for (const s of ['a\tb\r\nc', '张三', '𠀀𪚥', '王𠮷', '👍', 'José', '', '  spaced  ']) {
      expect(hasForbiddenChars(s), JSON.stringify(s)).toBe(false);
      expect(cleanText(s)).toBe(s.normalize('NFC'));
    }
  });
});

describe('cleanText: NFC', () => {
  it('composes a decomposed string and leaves ASCII as it is', () => {
    expect(cleanText('Jose\u0301')).toBe('José');
    expect(cleanText('Jose\u0301')!.length).toBe(4);
    expect(cleanText('e\u0301\u0323')).toBe('\u1eb9\u0301'); // canonical reordering, then composition
    const ascii = 'plain ascii 13900001234';
    expect(cleanText(ascii)).toBe(ascii);
  });

  it('maps a CJK compatibility ideograph to its unified form (a canonical decomposition)', () => {
    expect(cleanText('\uf900')).toBe('\u8c48');
  });
});

describe('codePointLength', () => {
  it('counts an Extension B character once', () => {
    expect('𠀀'.length).toBe(2);
    expect(codePointLength('𠀀')).toBe(1);
    expect(codePointLength('王𪚥明')).toBe(3);
  });
});

describe('cleanInput', () => {
  it('normalises nested strings and keys in place and names each refused value by its dotted path', () => {
    const body = {
      person: { name: 'Jose\u0301', phone: '139\u200b00001234' },
      items: ['ok', { text: 'x\u0000' }],
      ['ke\u0301y']: 1,
      n: 5,
      b: true,
      nothing: null,
    };
    const problems: Record<string, string> = {};
    const out = cleanInput(body, '', problems) as Record<string, unknown>;
    expect(out).toBe(body);
    expect((out.person as { name: string }).name).toBe('José');
    expect(out['k\u00e9y']).toBe(1);
    expect(out['ke\u0301y']).toBeUndefined();
    expect(problems).toEqual({ 'person.phone': FORBIDDEN_TEXT_MESSAGE, 'items.1.text': FORBIDDEN_TEXT_MESSAGE });
  });

  it('leaves a Buffer alone and reports a refused key on its object', () => {
    const buf = Buffer.from([0, 1, 2]);
    const problems: Record<string, string> = {};
    expect(cleanInput(buf, '', problems)).toBe(buf);
    cleanInput({ ['a\u202eb']: 'x' }, 'q', problems);
    expect(Object.keys(problems)).toEqual(['q']);
  });

  it('refuses a value nested deeper than any form (what is below would go unchecked)', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 40; i++) deep = { a: deep };
    const problems: Record<string, string> = {};
    cleanInput(deep, '', problems);
    expect(Object.values(problems)).toEqual([NESTING_MESSAGE]);
  });

  it('stays cheap: 100,000 short strings in well under a second', () => {
    const body = { items: Array.from({ length: 100_000 }, (_, i) => `第${i}项 item`) };
    const started = performance.now();
    const problems: Record<string, string> = {};
    cleanInput(body, '', problems);
    expect(problems).toEqual({});
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
