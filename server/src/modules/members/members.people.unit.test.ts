import { expect, it } from 'vitest';
import { pinyinOf } from './members.people.js';

it('pinyin initials of an ordinary name', () => {
  expect(pinyinOf('王小明')).toEqual({ initials: 'wxm', full: 'wangxiaoming' });
});

it('a character outside the BMP (CJK Extension B) stays whole in the initials, never half a surrogate pair', () => {
  const { initials } = pinyinOf('𠀀明');
  expect(initials).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  expect([...initials]).toEqual(['𠀀', 'm']);
});
