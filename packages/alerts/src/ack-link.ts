// The signed, expiring 已知悉 link each alert carries: whoever holds the message may acknowledge that one delivery
// without logging in, and nobody can make a link for another delivery or stretch its validity. The token is
// `<deliveryId>.<expiry in epoch seconds>.<HMAC-SHA-256 over both, first 16 bytes, base64url>`, keyed with a key
// derived from the installation's YQ_SECRET_KEY under its own label.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '@yuqing/core';

/** HKDF label of the link key: a new label (v2) would void every link out there. */
export const ACK_LINK_KEY_INFO = 'yuqing alert-ack-link v1';

/** How long a link works. @defaultValue 24 hours */
export const ACK_LINK_VALIDITY_MS = 24 * 60 * 60_000;

/** Bytes of the MAC kept in the link: 128 bits, short enough for an SMS part. */
const MAC_BYTES = 16;

const TOKEN_SHAPE = /^(\d{1,12})\.(\d{1,12})\.([A-Za-z0-9_-]{22})$/;

/** What a token says once checked. */
export type AckLinkCheck =
  | { ok: true; deliveryId: number; expiresAt: Date }
  /** `forged`: malformed or a wrong MAC (HTTP 400); `expired`: genuine but too old (HTTP 410). */
  | { ok: false; reason: 'forged' | 'expired' };

/** Signs and checks acknowledgement links. */
export class AckLinks {
  readonly #key: Buffer;
  readonly #validityMs: number;

  constructor(key: Buffer, options: { validityMs?: number } = {}) {
    this.#key = Buffer.from(key);
    this.#validityMs = options.validityMs ?? ACK_LINK_VALIDITY_MS;
  }

  /** The links of an installation: keyed from its secret key. */
  static fromSecretBox(box: SecretBox, options: { validityMs?: number } = {}): AckLinks {
    return new AckLinks(box.deriveKey(ACK_LINK_KEY_INFO), options);
  }

  #mac(deliveryId: number, expiresSeconds: number): Buffer {
    return createHmac('sha256', this.#key).update(`${deliveryId}.${expiresSeconds}`).digest().subarray(0, MAC_BYTES);
  }

  /** A token for `deliveryId`, valid until `now` + the validity. */
  token(deliveryId: number, now: Date): string {
    const expires = Math.floor((now.getTime() + this.#validityMs) / 1000);
    return `${deliveryId}.${expires}.${this.#mac(deliveryId, expires).toString('base64url')}`;
  }

  /** The link for `deliveryId` under the dashboard's public address. */
  url(publicUrl: string, deliveryId: number, now: Date): string {
    return `${publicUrl}/ack/${this.token(deliveryId, now)}`;
  }

  /** Checks a token: the MAC first (a forged expiry is forged, not expired), then the expiry against `now`. */
  check(token: string, now: Date): AckLinkCheck {
    const m = TOKEN_SHAPE.exec(token);
    if (!m) return { ok: false, reason: 'forged' };
    const deliveryId = Number(m[1]);
    const expires = Number(m[2]);
    // Compared as text: 22 base64url characters carry 132 bits, so decoding would let 4 unused bits vary.
    const given = Buffer.from(m[3]!, 'utf8');
    const expected = Buffer.from(this.#mac(deliveryId, expires).toString('base64url'), 'utf8');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'forged' };
    if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
    return { ok: true, deliveryId, expiresAt: new Date(expires * 1000) };
  }
}
