import { describe, expect, it } from 'vitest';
import { createFieldCrypto, maskPhone } from './crypto.js';

const secrets = {
  fieldEncryptionKey: '0123456789abcdef0123456789abcdef',
  fieldMacKey: 'aa'.repeat(32),
  blindIndexKey: 'bb'.repeat(32),
  tokenSigningKey: 'cc'.repeat(32),
};

describe('sensitive field crypto (SM4-CBC + HMAC-SM3)', () => {
  const c = createFieldCrypto(secrets);

  it('round-trips, with a fresh IV each time', () => {
    const a = c.encrypt('13812345678');
    const b = c.encrypt('13812345678');
    expect(a).not.toBe(b);
    expect(a).not.toContain('13812345678');
    expect(c.decrypt(a)).toBe('13812345678');
    expect(c.decrypt(c.encrypt('阿依古丽·买买提'))).toBe('阿依古丽·买买提');
  });

  it('refuses a ciphertext changed by one bit (encrypt-then-MAC)', () => {
    const token = c.encrypt('320981199001011234');
    const [v, body, tag] = token.split('.');
    const bytes = Buffer.from(body!, 'base64url');
    bytes[20] = bytes[20]! ^ 1;
    expect(() => c.decrypt(`${v}.${bytes.toString('base64url')}.${tag}`)).toThrow(/MAC/);
  });

  it('refuses a ciphertext made with another key', () => {
    const other = createFieldCrypto({ ...secrets, fieldMacKey: 'dd'.repeat(32) });
    expect(() => c.decrypt(other.encrypt('x'))).toThrow();
  });

  it('blind index: deterministic per domain, different across domains and keys', () => {
    expect(c.blindIndex('13812345678', 'phone')).toBe(c.blindIndex('13812345678', 'phone'));
    expect(c.blindIndex('13812345678', 'phone')).not.toBe(c.blindIndex('13812345678', 'id'));
    expect(createFieldCrypto({ ...secrets, blindIndexKey: 'ee'.repeat(32) }).blindIndex('13812345678', 'phone')).not.toBe(c.blindIndex('13812345678', 'phone'));
  });

  it('signatures verify only for the same payload', () => {
    const sig = c.sign('card:1:2026');
    expect(c.verifySignature('card:1:2026', sig)).toBe(true);
    expect(c.verifySignature('card:1:2027', sig)).toBe(false);
  });

  it('masks phones as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
