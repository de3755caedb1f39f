import { describe, expect, it } from 'vitest';
import { createScramVerifier, ScramServerSession } from './scram-auth.ts';

// The SCRAM-SHA-256 example exchange of RFC 7677 section 3 (user "user", password "pencil").
const SALT = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
const SERVER_NONCE = '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const CLIENT_FIRST = 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO';
const SERVER_FIRST = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const CLIENT_FINAL =
  'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const SERVER_FINAL = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

function session(password: string): ScramServerSession {
  return new ScramServerSession(createScramVerifier(password, 4096, SALT), () => SERVER_NONCE);
}

describe('SCRAM-SHA-256 server (RFC 7677 example)', () => {
  it('answers the published exchange byte for byte', () => {
    const scram = session('pencil');
    expect(scram.first(CLIENT_FIRST)).toEqual({ ok: true, reply: SERVER_FIRST });
    expect(scram.final(CLIENT_FINAL)).toEqual({ ok: true, reply: SERVER_FINAL });
  });

  it('refuses the same proof for another password, a changed nonce and channel binding it does not offer', () => {
    const wrong = session('pencils');
    wrong.first(CLIENT_FIRST);
    expect(wrong.final(CLIENT_FINAL)).toEqual({ ok: false, reason: 'wrong password' });

    const replay = session('pencil');
    replay.first(CLIENT_FIRST);
    expect(replay.final(CLIENT_FINAL.replace('k0,p=', 'k1,p=')).ok).toBe(false);

    expect(session('pencil').first('p=tls-server-end-point,,n=user,r=abc').ok).toBe(false);
    expect(session('pencil').final(CLIENT_FINAL).ok).toBe(false);
  });
});
