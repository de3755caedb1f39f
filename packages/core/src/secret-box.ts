// Secrets at rest (alert channel secrets, sources' login cookies): AES-256-GCM with a 32-byte key. Pure crypto;
// where the key comes from (YQ_SECRET_KEY or the data folder) is the entry points' business.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { ConfigError, NonRetryableError } from './errors.ts';

/** Marks an encrypted value: `yqenc:v1:` + base64url(iv ‖ tag ‖ ciphertext). */
export const SECRET_PREFIX = 'yqenc:v1:';
const KEY_BYTES = 32;
/** GCM's recommended 96-bit nonce, random per value (far fewer than 2^32 values are ever sealed with a key). */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts and decrypts secret strings with one key. */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== KEY_BYTES) throw new ConfigError(`YQ_SECRET_KEY must be ${KEY_BYTES} bytes (base64)`);
    this.#key = Buffer.from(key);
  }

  /** Reads a base64 key as YQ_SECRET_KEY holds it. */
  static fromBase64(value: string): SecretBox {
    return new SecretBox(Buffer.from(value.trim(), 'base64'));
  }

  /** A new random key, base64 (what `YQ_SECRET_KEY` or the key file holds). */
  static generateKey(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  /**
   * A 32-byte key for another purpose (signing links …), derived with HKDF-SHA-256 under its own `info` label: the
   * installation keeps one secret, and a key leaked from one purpose tells nothing about the others.
   */
  deriveKey(info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), info, KEY_BYTES));
  }

  /** Encrypts `plain`; a value already encrypted is returned as it is (saving twice never double-wraps). */
  seal(plain: string): string {
    if (isSealed(plain)) return plain;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return SECRET_PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  /** Decrypts a sealed value; a plaintext value (stored before encryption existed) is returned unchanged. */
  open(value: string): string {
    if (!isSealed(value)) return value;
    const raw = Buffer.from(value.slice(SECRET_PREFIX.length), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES)
      throw new NonRetryableError('SECRET_CORRUPT', 'encrypted secret is truncated');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (error) {
      // A wrong key or altered bytes: retrying cannot help, the operator must restore YQ_SECRET_KEY.
      throw new NonRetryableError('SECRET_KEY_MISMATCH', 'cannot decrypt a stored secret: wrong YQ_SECRET_KEY?', {
        cause: error,
      });
    }
  }
}

/** True when `value` is an encrypted secret. */
export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SECRET_PREFIX);
}
