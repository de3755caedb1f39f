import { describe, expect, it } from 'vitest';
import { SecretBox, isSealed } from './secret-box.ts';

describe('SecretBox', () => {
  const box = SecretBox.fromBase64(SecretBox.generateKey());

  it('seals to a marked value that opens to the plaintext, a fresh nonce each time', () => {
    const sealed = box.seal('SECdingtalk-加签密钥');
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('SECdingtalk');
    expect(box.open(sealed)).toBe('SECdingtalk-加签密钥');
    expect(box.seal('same')).not.toBe(box.seal('same'));
    expect(box.seal(sealed)).toBe(sealed);
  });

  it('reads plaintext stored before encryption as it is', () => {
    expect(box.open('legacy-plain-secret')).toBe('legacy-plain-secret');
  });

  it('refuses a wrong key and altered bytes, saying no retry helps', () => {
    const sealed = box.seal('secret');
    const other = SecretBox.fromBase64(SecretBox.generateKey());
    expect(() => other.open(sealed)).toThrow(
      expect.objectContaining({ code: 'SECRET_KEY_MISMATCH', retryable: false }),
    );
    // Change one character in the middle to a different one (the old version swapped in the character already there
    // in 1 of 64 runs, so the "tampered" text was the original).
    const at = Math.floor(sealed.length / 2);
    const tampered = sealed.slice(0, at) + (sealed[at] === 'A' ? 'B' : 'A') + sealed.slice(at + 1);
    expect(() => box.open(tampered)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_MISMATCH' }));
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => SecretBox.fromBase64(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('SecretBox.deriveKey', () => {
  it('derives a stable 32-byte key per label, different per label and per master key', () => {
    const key = SecretBox.generateKey();
    const box = SecretBox.fromBase64(key);
    const a = box.deriveKey('yuqing alert-ack-link v1');
    expect(a).toHaveLength(32);
    expect(SecretBox.fromBase64(key).deriveKey('yuqing alert-ack-link v1').equals(a)).toBe(true);
    expect(box.deriveKey('another purpose').equals(a)).toBe(false);
    expect(SecretBox.fromBase64(SecretBox.generateKey()).deriveKey('yuqing alert-ack-link v1').equals(a)).toBe(false);
  });
});
