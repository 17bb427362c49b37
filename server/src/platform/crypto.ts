// Sensitive fields: SM4-CBC + HMAC-SM3 (encrypt-then-MAC; Node has no SM4-GCM), and an
// HMAC-SM3 blind index for exact lookup without decrypting.
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Secrets } from '../config.js';

const VERSION = 'v1';

export interface FieldCrypto {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  blindIndex(value: string, domain: string): string;
  sign(payload: string): string;
  verifySignature(payload: string, signature: string): boolean;
}

/** The keys of sensitive fields and tokens (the audit key is the audit module's). */
export type FieldSecrets = Omit<Secrets, 'auditKey'>;

export function createFieldCrypto(secrets: FieldSecrets): FieldCrypto {
  const encKey = Buffer.from(secrets.fieldEncryptionKey, 'hex');
  const macKey = Buffer.from(secrets.fieldMacKey, 'hex');
  const bidxKey = Buffer.from(secrets.blindIndexKey, 'hex');
  const tokenKey = Buffer.from(secrets.tokenSigningKey, 'hex');
  const mac = (data: Buffer) => createHmac('sm3', macKey).update(data).digest();
  return {
    encrypt(plain) {
      const iv = randomBytes(16);
      const cipher = createCipheriv('sm4-cbc', encKey, iv);
      const body = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]);
      return `${VERSION}.${body.toString('base64url')}.${mac(body).toString('base64url')}`;
    },
    decrypt(token) {
      const [version, bodyB64, tagB64] = token.split('.');
      if (version !== VERSION || !bodyB64 || !tagB64) throw new Error('bad ciphertext');
      const body = Buffer.from(bodyB64, 'base64url');
      const tag = Buffer.from(tagB64, 'base64url');
      const expected = mac(body);
      if (tag.length !== expected.length || !timingSafeEqual(tag, expected)) throw new Error('ciphertext MAC mismatch');
      const decipher = createDecipheriv('sm4-cbc', encKey, body.subarray(0, 16));
      return Buffer.concat([decipher.update(body.subarray(16)), decipher.final()]).toString('utf8');
    },
    blindIndex(value, domain) {
      return createHmac('sm3', bidxKey).update(`${domain}:${value}`).digest('hex');
    },
    sign(payload) {
      return createHmac('sm3', tokenKey).update(payload).digest('base64url');
    },
    verifySignature(payload, signature) {
      const expected = Buffer.from(createHmac('sm3', tokenKey).update(payload).digest('base64url'));
      const given = Buffer.from(signature);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export const sm3 = (data: string) => createHash('sm3').update(data).digest('hex');
export const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : '*'.repeat(phone.length);
}
