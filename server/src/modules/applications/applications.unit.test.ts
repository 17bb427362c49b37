import { describe, expect, it } from 'vitest';
import { cleanFileName, sniffFile } from './applications.files.js';
import { BUILTIN_SERVICES } from './applications.catalogue.js';
import { validateDefinition, type ServiceDefinition } from './applications.schema.js';
import { asApplication } from './applications.service.js';

describe('sniffFile', () => {
  it('knows JPEG, PNG and PDF by their bytes, nothing else', () => {
    expect(sniffFile(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))?.mime).toBe('image/jpeg');
    expect(sniffFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.mime).toBe('image/png');
    expect(sniffFile(Buffer.from('%PDF-1.7\n'))?.kind).toBe('pdf');
    expect(sniffFile(Buffer.from('MZ\x90\x00'))).toBeUndefined();
    expect(sniffFile(Buffer.from('GIF89a'))).toBeUndefined();
    expect(sniffFile(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(sniffFile(Buffer.alloc(0))).toBeUndefined();
  });

  it('names follow the content, without paths', () => {
    const png = sniffFile(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))!;
    expect(cleanFileName('C:\\x\\病历.jpg', png)).toBe('病历.png');
    expect(cleanFileName('../../a.exe', png)).toBe('a.png');
    expect(cleanFileName(undefined, png)).toBe('附件.png');
    // 90 characters kept, counted in code points: an Extension B character at the cut stays whole
    const long = `${'a'.repeat(89)}𠀀𠀀.jpg`;
    expect(cleanFileName(long, png)).toBe(`${'a'.repeat(89)}𠀀.png`);
  });
});

describe('validateDefinition', () => {
  const base: ServiceDefinition = {
    form: [{ key: 'amount', label: '金额', type: 'amount', required: true }],
    attachments: [],
    steps: [{ key: 'a', name: '基层', kind: 'review', level: 'grassroots', permission: 'application:handle', slaDays: 3, actions: ['approve'] }],
    aid: null,
  };
  const fields = (d: ServiceDefinition) => {
    try {
      validateDefinition(d);
      return {};
    } catch (err) {
      return (err as { fields: Record<string, string> }).fields;
    }
  };

  it('accepts every built-in', () => {
    for (const b of BUILTIN_SERVICES) expect(fields(b), b.code).toEqual({});
  });

  it('checks lottery places, aid fields and option misuse', () => {
    expect(
      fields({
        ...base,
        steps: [{ key: 'l', name: '抽签', kind: 'lottery', level: 'county', permission: 'application:handle', slaDays: 3, actions: ['approve'] }],
      }),
    ).toMatchObject({ 'steps.0.places': expect.stringContaining('名额'), 'steps.0.actions': expect.stringContaining('抽签') });
    expect(fields({ ...base, aid: { fundCode: 'living', fundField: 'amount', amountField: 'amount', payLevel: 'county', maxAmount: '100' } })).toMatchObject({
      'aid.fundCode': expect.stringContaining('二选一'),
    });
    expect(fields({ ...base, aid: { fundCode: 'living', amountField: 'nope', payLevel: 'county', maxAmount: '0' } })).toMatchObject({
      'aid.amountField': expect.stringContaining('金额字段'),
      'aid.maxAmount': '最高金额须大于 0',
    });
    expect(fields({ ...base, form: [{ key: 't', label: '文本', type: 'text', required: false, options: ['a'] }] })).toMatchObject({
      'form.0.options': '只有下拉选择字段才能设置选项',
    });
  });
});

describe('asApplication', () => {
  it('names the application once: 维权申请 stays, 困难帮扶 gets 申请', () => {
    expect(asApplication('维权申请')).toBe('维权申请');
    expect(asApplication('困难帮扶')).toBe('困难帮扶申请');
  });
});
