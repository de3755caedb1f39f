import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, MIN_PASSWORD_CHARS } from './password-policy.ts';

const codes = (password: string, username?: string) =>
  checkPasswordPolicy(password, username === undefined ? {} : { username }).map((p) => p.code);

describe('checkPasswordPolicy', () => {
  it.each([
    'correct-horse-battery',
    'Tz8#mQ2v!kLp',
    '社保卡补办要带身份证原件',
    'gVh7K2pQ9wXr',
    'spring-荷花-2026-湖畔',
  ])('accepts %s', (password) => {
    expect(codes(password, 'leader1')).toEqual([]);
  });

  it.each([
    // Issue #20: accepted by the length-only policy.
    ['1234567890', 'COMMON'],
    ['0987654321', 'SEQUENCE'],
    ['7890123456', 'SEQUENCE'],
    ['abcdefghijk', 'SEQUENCE'],
    ['qwertyuiop', 'COMMON'],
    ['POIUYTREWQ', 'SEQUENCE'],
    ['2345678901', 'SEQUENCE'],
    ['1qaz2wsx3edc', 'SEQUENCE'],
    ['password123', 'COMMON'],
    ['Password2026!', 'COMMON'],
    ['woaini1314', 'COMMON'],
    ['a123456789', 'COMMON'],
    ['aaaaaaaaaaaa', 'REPEATED'],
    ['abcabcabcabc', 'REPEATED'],
    ['1212121212', 'REPEATED'],
  ])('refuses %s (%s)', (password, code) => {
    expect(codes(password, 'leader1')).toContain(code);
  });

  it('refuses a password containing the username, in any case', () => {
    expect(codes('zhang.wei-2026-spring', 'zhang.wei')).toContain('CONTAINS_USERNAME');
    expect(codes('My-ZHANG.WEI-secret', 'Zhang.Wei')).toContain('CONTAINS_USERNAME');
    expect(codes('ab-correct-horse', 'ab')).toEqual([]);
  });

  it('counts characters, not bytes, and names the minimum', () => {
    const short = checkPasswordPolicy('x7#Kp2');
    expect(short.map((p) => p.code)).toEqual(['TOO_SHORT']);
    expect(short[0]!.message).toContain(String(MIN_PASSWORD_CHARS));
    expect(codes('人社局舆情监测平台')).toContain('TOO_SHORT');
    expect(codes('x'.repeat(300))).toContain('TOO_LONG');
  });
});
