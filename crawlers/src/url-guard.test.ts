import { describe, expect, it } from 'vitest';
import { privateAddressReason, UrlGuard } from './url-guard.ts';

describe('privateAddressReason', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd00:ec2::254',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
  ])('%s is refused', (ip) => {
    expect(privateAddressReason(ip)).toBeDefined();
  });
  it.each(['8.8.8.8', '172.32.0.1', '203.119.25.1', '2400:3200::1'])('%s is public', (ip) => {
    expect(privateAddressReason(ip)).toBeUndefined();
  });
});

describe('UrlGuard', () => {
  const publicResolver = async () => [{ address: '203.0.113.10', family: 4 }];
  it('refuses literal private addresses and names that resolve to them', async () => {
    const guard = new UrlGuard({
      resolve: async (h) =>
        h === 'intranet.example' ? [{ address: '10.0.0.5', family: 4 }] : [{ address: '203.0.113.10', family: 4 }],
    });
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://[::1]/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://intranet.example/',
    ]) {
      await expect(guard.vet(url)).rejects.toMatchObject({ code: 'SSRF_REFUSED', retryable: false });
    }
    await expect(guard.vet('http://www.example.gov.cn/')).resolves.toMatchObject({
      allowlisted: false,
      addresses: [{ address: '203.0.113.10', family: 4 }],
    });
  });

  it('allows listed host[:port] only, exactly', async () => {
    const guard = new UrlGuard({
      allowedPrivateHosts: ['127.0.0.1:3100', 'intranet.example'],
      resolve: publicResolver,
    });
    await expect(guard.vet('http://127.0.0.1:3100/news/')).resolves.toMatchObject({ allowlisted: true });
    await expect(guard.vet('http://127.0.0.1:3101/news/')).rejects.toMatchObject({ code: 'SSRF_REFUSED' });
    await expect(guard.vet('http://intranet.example:8080/')).resolves.toMatchObject({ allowlisted: true });
  });

  it('refuses other schemes and embedded credentials', async () => {
    const guard = new UrlGuard({ resolve: publicResolver });
    await expect(guard.vet('file:///etc/passwd')).rejects.toMatchObject({ code: 'URL_SCHEME_REFUSED' });
    await expect(guard.vet('http://user:pw@example.com/')).rejects.toMatchObject({ code: 'URL_CREDENTIALS_REFUSED' });
    await expect(guard.vet('not a url')).rejects.toMatchObject({ code: 'URL_INVALID' });
  });
});
