import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.ts';
import { environmentSchema, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('fills defaults for an empty environment', () => {
    const config = loadConfig({}, '/srv/yq');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.redisUrlExplicit).toBe(false);
    expect(config.port).toBe(3000);
    expect(config.timeZone).toBe('Asia/Shanghai');
    expect(config.dataDir).toBe('/srv/yq/data');
    expect(config.smtpUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.adminEmail).toBe('admin@localhost');
  });

  it('takes the first admin’s e-mail address from YQ_ADMIN_EMAIL and refuses a malformed one', () => {
    expect(loadConfig({ YQ_ADMIN_EMAIL: 'ops@hrss.example.gov.cn' }).adminEmail).toBe('ops@hrss.example.gov.cn');
    expect(() => loadConfig({ YQ_ADMIN_EMAIL: 'not an address' })).toThrow(
      /YQ_ADMIN_EMAIL: expected an e-mail address/,
    );
  });

  it('parses given values and treats empty strings as unset', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@db:5432/yq',
      REDIS_URL: 'redis://cache:6380',
      PORT: '8080',
      TZ: 'UTC',
      YQ_ALLOWED_PRIVATE_HOSTS: '127.0.0.1:3100, Intranet.local ',
      SMTP_URL: '',
      PUBLIC_URL: 'https://yq.example.gov.cn/',
    });
    expect(config.databaseUrl).toBe('postgresql://u@db:5432/yq');
    expect(config.redisUrlExplicit).toBe(true);
    expect(config.port).toBe(8080);
    expect(config.timeZone).toBe('UTC');
    expect(config.allowedPrivateHosts).toEqual(['127.0.0.1:3100', 'intranet.local']);
    expect(config.smtpUrl).toBeUndefined();
    expect(config.publicUrl).toBe('https://yq.example.gov.cn');
  });

  it.each([
    ['PORT', 'abc', /PORT: expected a TCP port number/],
    ['PORT', '70000', /PORT: expected 1–65535/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: expected a URL starting with postgres:\/\/ or postgresql:\/\//],
    ['REDIS_URL', 'localhost:6379', /REDIS_URL: expected a URL/],
    ['TZ', 'Mars/Base', /TZ: expected an IANA time zone/],
    ['SMTP_URL', 'http://mail', /SMTP_URL: expected a URL starting with smtp:/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of/],
    ['YQ_ADMIN_PASSWORD', '1234567890', /YQ_ADMIN_PASSWORD: 密码过于常见/],
    ['YQ_ADMIN_PASSWORD', 'short', /YQ_ADMIN_PASSWORD: 密码至少 10 个字符/],
    ['TRUST_PROXY', 'true', /TRUST_PROXY: expected false, a hop count/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY: expected/],
    ['TRUST_PROXY', 'proxy.example', /TRUST_PROXY: expected/],
  ])('rejects %s=%s naming the variable and what it expects', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads TRUST_PROXY as false, a hop count or proxy addresses', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: ' Loopback, 10.0.0.0/8 ,::1' }).trustProxy).toEqual([
      'loopback',
      '10.0.0.0/8',
      '::1',
    ]);
  });

  it('never echoes a refused admin password', () => {
    expect(() => loadConfig({ YQ_ADMIN_PASSWORD: 'qwertyuiop' })).toThrow(/YQ_ADMIN_PASSWORD/);
    expect(() => loadConfig({ YQ_ADMIN_PASSWORD: 'qwertyuiop' })).not.toThrow(/qwertyuiop/);
  });

  it('reports every invalid variable at once and hides passwords', () => {
    try {
      loadConfig({ PORT: 'x', DATABASE_URL: 'mysql://root:secret@db/x' });
      expect.unreachable();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/DATABASE_URL/);
      expect(message).not.toMatch(/secret/);
    }
  });

  it('is documented: every variable appears in the README configuration table', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    for (const name of Object.keys(environmentSchema.shape)) {
      expect(readme, `README lacks ${name}`).toMatch(new RegExp(`\\|\\s*\`${name}\`\\s*\\|`));
    }
  });
});
