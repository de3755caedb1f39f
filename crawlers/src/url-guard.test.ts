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
    // Issue #20: forms the first guard let through or called public.
    '::127.0.0.1',
    '::a00:1',
    '::ffff:0:a00:1',
    '2002:7f00:1::',
    '2002:c0a8:101::1',
    'fec0::1',
    '64:ff9b::7f00:1',
    '64:ff9b::808:808',
    '64:ff9b:1::a00:1',
    '0:0:0:0:0:ffff:7f00:1',
    '0000:0000:0000:0000:0000:ffff:0a00:0001',
    '[::ffff:169.254.169.254]',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2',
    'fe80::1%eth0',
    '2001:db8::1',
    '255.255.255.255',
  ])('%s is refused', (ip) => {
    expect(privateAddressReason(ip)).toBeDefined();
  });
  it.each(['8.8.8.8', '172.32.0.1', '203.119.25.1', '2400:3200::1', '::ffff:8.8.8.8', '2408:8000::1'])(
    '%s is public',
    (ip) => {
      expect(privateAddressReason(ip)).toBeUndefined();
    },
  );
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
      'http://[::127.0.0.1]/',
      'http://[::a00:1]/',
      'http://[::ffff:0:a00:1]/',
      'http://[2002:7f00:1::]/',
      'http://[fec0::1]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[0:0:0:0:0:ffff:7f00:1]/',
      'http://0x7f.1/',
      'http://2130706433/',
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

  it('refuses names that resolve to IPv4 hidden in IPv6', async () => {
    for (const address of ['::127.0.0.1', '2002:a00:1::1', 'fec0::1', '64:ff9b::a00:1', '::ffff:7f00:1']) {
      const guard = new UrlGuard({ resolve: async () => [{ address, family: 6 }] });
      await expect(guard.vet('http://rebind.example/')).rejects.toMatchObject({ code: 'SSRF_REFUSED' });
    }
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
