import { describe, expect, it } from 'vitest';
import { SecretBox } from '@yuqing/core';
import { AckLinks, ACK_LINK_VALIDITY_MS } from './ack-link.ts';

const now = new Date('2026-12-07T06:00:00Z');

describe('AckLinks', () => {
  const links = AckLinks.fromSecretBox(SecretBox.fromBase64(SecretBox.generateKey()));

  it('accepts its own token until it expires after 24 hours', () => {
    const token = links.token(812, now);
    expect(links.url('https://yq.example.gov.cn', 812, now)).toBe(`https://yq.example.gov.cn/ack/${token}`);
    expect(links.check(token, new Date(now.getTime() + ACK_LINK_VALIDITY_MS - 1000))).toEqual({
      ok: true,
      deliveryId: 812,
      expiresAt: new Date(now.getTime() + ACK_LINK_VALIDITY_MS),
    });
    expect(links.check(token, new Date(now.getTime() + ACK_LINK_VALIDITY_MS))).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('calls a changed id, expiry or signature, another key and garbage forged', () => {
    const [id, expires, mac] = links.token(812, now).split('.') as [string, string, string];
    const other = new AckLinks(Buffer.alloc(32, 1)).token(812, now);
    for (const bad of [
      `813.${expires}.${mac}`,
      `${id}.${Number(expires) + 3600}.${mac}`,
      `${id}.${expires}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`,
      other,
      `${id}.${expires}`,
      '',
    ])
      expect(links.check(bad, now), bad).toEqual({ ok: false, reason: 'forged' });
  });
});
