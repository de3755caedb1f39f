import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next.ts';

const PUBLIC_URL = 'http://127.0.0.1:3000';

describe('safeNextPath', () => {
  it.each([
    ['/', '/'],
    ['/issues', '/issues'],
    ['/issues/12?tab=mentions#top', '/issues/12?tab=mentions#top'],
    ['/mentions?q=%E6%AC%A0%E8%96%AA', '/mentions?q=%E6%AC%A0%E8%96%AA'],
    ['/admin/queues/', '/admin/queues/'],
    ['/a/../responses', '/responses'],
  ])('keeps the same-origin path %s', (next, expected) => {
    expect(safeNextPath(next, PUBLIC_URL)).toBe(expected);
  });

  it.each([
    // Issue #20: the decoded forms of /%09/… and /%0A/… that passed the leading-slash check.
    '/\t/127.0.0.1:3701/x',
    '/\n/127.0.0.1:3701/x',
    '/\r\n/evil.example',
    '//evil.example/',
    '///evil.example',
    '/\\evil.example',
    '/\\/evil.example',
    '\\\\evil.example',
    'https://evil.example/',
    'http://127.0.0.1:3000/issues',
    'javascript:alert(1)',
    ' /issues',
    '/ /evil.example',
    '/.//evil.example',
    '/a/..//evil.example',
    '/%09/127.0.0.1:3701/x',
    '/%0A/127.0.0.1:3701/x',
    '/%2F/evil.example',
    '/%5Cevil.example',
    'issues',
    '',
    `/${'a'.repeat(3000)}`,
  ])('refuses %j', (next) => {
    expect(safeNextPath(next, PUBLIC_URL)).toBe('/');
  });

  it('refuses what is not a string', () => {
    expect(safeNextPath(undefined, PUBLIC_URL)).toBe('/');
    expect(safeNextPath(['/issues'], PUBLIC_URL)).toBe('/');
  });

  it('works under an https public address with a path-less origin', () => {
    expect(safeNextPath('/digests', 'https://yuqing.example.gov.cn')).toBe('/digests');
    expect(safeNextPath('//yuqing.example.gov.cn.evil.example/', 'https://yuqing.example.gov.cn')).toBe('/');
  });
});
