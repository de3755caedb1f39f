// Personal API tokens: `yqt_` + 32 random bytes (base64url). The prefix makes a leaked token recognisable to
// secret scanners and to people; only the SHA-256 is stored, so a leaked table hands out no live token.
import { randomBytes } from 'node:crypto';
import { sha256Hex } from './hash.ts';

/** Every API token starts with this. */
export const API_TOKEN_PREFIX = 'yqt_';
/** Random bytes behind a token. */
const API_TOKEN_BYTES = 32;
/** Characters of a token kept in lists to recognise it (`yqt_` + 6). */
const SHOWN_PREFIX_CHARS = API_TOKEN_PREFIX.length + 6;
/** `yqt_` + 43 base64url characters. */
const API_TOKEN_PATTERN = /^yqt_[A-Za-z0-9_-]{43}$/;

/** A new token (shown once), its hash (stored) and its recognisable start (listed). */
export function newApiToken(): { token: string; hash: string; prefix: string } {
  const token = API_TOKEN_PREFIX + randomBytes(API_TOKEN_BYTES).toString('base64url');
  return { token, hash: apiTokenHash(token), prefix: token.slice(0, SHOWN_PREFIX_CHARS) };
}

/** The stored form of a token. */
export function apiTokenHash(token: string): string {
  return sha256Hex(token);
}

/** True when `value` has the shape of an API token (checked before any database lookup). */
export function isApiTokenShape(value: string): boolean {
  return API_TOKEN_PATTERN.test(value);
}
