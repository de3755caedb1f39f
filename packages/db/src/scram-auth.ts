import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it (SASL inside the startup
 * exchange). Pure message handling: the wire server sends and receives the bytes. Channel binding is not
 * offered (the embedded socket is plain TCP on loopback), so the only accepted GS2 headers are `n,,` and `y,,`.
 */

export const SCRAM_MECHANISM = 'SCRAM-SHA-256';
/** PostgreSQL's own default iteration count for SCRAM verifiers. */
const SCRAM_ITERATIONS = 4096;
const NONCE_BYTES = 18;

/** What the server keeps instead of the password (a SCRAM verifier). */
export interface ScramVerifier {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
}

function hmac(key: Buffer, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/**
 * Derives the verifier once (PBKDF2 takes milliseconds: doing it per connection would cost every client that).
 */
export function createScramVerifier(
  password: string,
  iterations = SCRAM_ITERATIONS,
  salt: Buffer = randomBytes(16),
): ScramVerifier {
  // SASLprep of an ASCII password is the password itself; ours are generated ASCII.
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return {
    salt,
    iterations,
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: hmac(salted, 'Server Key'),
  };
}

/** Splits `a=1,b=2` into attributes; values may themselves contain `=`. */
function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) map.set(part[0]!, part.slice(2));
  }
  return map;
}

/** Outcome of one step: the bytes to send back, or why the client is refused. */
export type ScramStep = { ok: true; reply: string } | { ok: false; reason: string };

/**
 * One SCRAM exchange with one client: `first` takes the client-first-message and returns the
 * server-first-message, `final` takes the client-final-message and returns the server-final-message
 * (`v=…`) when the proof is right.
 */
export class ScramServerSession {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';

  /** @param serverNonce - the server's part of the nonce; random unless a test replays a published exchange. */
  constructor(
    private readonly verifier: ScramVerifier,
    private readonly serverNonce: () => string = () => randomBytes(NONCE_BYTES).toString('base64'),
  ) {}

  first(clientFirst: string): ScramStep {
    // gs2-header: "n,," (no channel binding) or "y,," (client could but server does not offer it).
    const match = /^([ny]),(?:a=[^,]*)?,(.*)$/s.exec(clientFirst);
    if (!match) return { ok: false, reason: 'unsupported SCRAM channel binding or malformed client-first-message' };
    this.clientFirstBare = match[2]!;
    const clientNonce = attributes(this.clientFirstBare).get('r');
    if (!clientNonce || /[^\x21-\x2b\x2d-\x7e]/.test(clientNonce)) return { ok: false, reason: 'malformed nonce' };
    this.nonce = clientNonce + this.serverNonce();
    this.serverFirst = `r=${this.nonce},s=${this.verifier.salt.toString('base64')},i=${this.verifier.iterations}`;
    return { ok: true, reply: this.serverFirst };
  }

  final(clientFinal: string): ScramStep {
    if (!this.serverFirst) return { ok: false, reason: 'client-final-message before client-first-message' };
    const proofAt = clientFinal.lastIndexOf(',p=');
    if (proofAt < 0) return { ok: false, reason: 'no client proof' };
    const withoutProof = clientFinal.slice(0, proofAt);
    const attrs = attributes(withoutProof);
    if (attrs.get('r') !== this.nonce) return { ok: false, reason: 'nonce mismatch' };
    const binding = Buffer.from(attrs.get('c') ?? '', 'base64').toString('latin1');
    if (!/^[ny],(?:a=[^,]*)?,$/.test(binding)) return { ok: false, reason: 'channel binding mismatch' };
    const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
    if (proof.length !== 32) return { ok: false, reason: 'malformed client proof' };
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const clientSignature = hmac(this.verifier.storedKey, authMessage);
    const clientKey = Buffer.alloc(32);
    for (let i = 0; i < 32; i++) clientKey[i] = proof[i]! ^ clientSignature[i]!;
    const storedKey = createHash('sha256').update(clientKey).digest();
    if (!timingSafeEqual(storedKey, this.verifier.storedKey)) return { ok: false, reason: 'wrong password' };
    const serverSignature = hmac(this.verifier.serverKey, authMessage);
    return { ok: true, reply: `v=${serverSignature.toString('base64')}` };
  }
}
