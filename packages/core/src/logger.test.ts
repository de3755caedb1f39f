import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { configureLogger, createLogger } from './logger.ts';

describe('logger', () => {
  afterEach(() => {
    configureLogger({ level: 'silent', destination: 2, format: 'pretty' });
  });

  it('applies a level configured after module-level loggers were created', () => {
    const early = createLogger('early-module');
    configureLogger({ level: 'error' });
    expect(early.level).toBe('error');
    expect(early.isLevelEnabled('warn')).toBe(false);
    configureLogger({ level: 'debug' });
    expect(early.isLevelEnabled('debug')).toBe(true);
    configureLogger({ level: 'silent' });
  });

  it('writes readable lines by default and JSON lines with format json, also for loggers created earlier', async () => {
    const early = createLogger('early-module');
    const dir = await mkdtemp(join(tmpdir(), 'yq-log-'));
    const file = join(dir, 'log.txt');
    const fd = openSync(file, 'w');
    try {
      configureLogger({ level: 'info', destination: fd, format: 'pretty' });
      early.info({ queue: 'crawl', password: 'hunter2hunter2' }, 'worker ready');
      configureLogger({ level: 'info', destination: fd, format: 'json' });
      early.info({ queue: 'ingest' }, 'worker ready');
      configureLogger({ level: 'silent', destination: 2, format: 'pretty' });
    } finally {
      closeSync(fd);
    }
    const [pretty, json, rest] = readFileSync(file, 'utf8').split('\n');
    expect(pretty).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: worker ready /);
    expect(pretty).toContain('"component":"early-module"');
    expect(pretty).toContain('"queue":"crawl"');
    expect(pretty).not.toContain('hunter2');
    expect(pretty).not.toMatch(/^\{/);
    expect(JSON.parse(json!)).toMatchObject({
      level: 30,
      component: 'early-module',
      queue: 'ingest',
      msg: 'worker ready',
    });
    expect(rest).toBe('');
    await rm(dir, { recursive: true, force: true });
  });
});
