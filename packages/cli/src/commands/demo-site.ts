import { configureLogger, loadConfig, NonRetryableError } from '@yuqing/core';
import { startDemoSite } from '@yuqing/demo-site';
import { parseFlags } from '../command.ts';

/** `yq demo-site [--port N] [--host H] [--interval-ms N]`: serves the built-in demo site alone until SIGINT/SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const { values } = parseFlags('demo-site', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    'interval-ms': { type: 'string' },
  });
  const config = loadConfig(process.env);
  configureLogger({ level: config.logLevel, format: config.logFormat });
  const port = values.port === undefined ? config.demoPort : wholeNumber('--port', values.port, 0, 65_535);
  const postIntervalMs =
    values['interval-ms'] === undefined
      ? undefined
      : wholeNumber('--interval-ms', values['interval-ms'], 1, 86_400_000);

  const site = await startDemoSite({
    port,
    host: values.host ?? '127.0.0.1',
    ...(postIntervalMs ? { postIntervalMs } : {}),
  });
  process.stdout.write(
    `演示站点 demo site: ${site.url}/  (news ${site.url}/news/ · rss ${site.url}/rss.xml · gbk ${site.url}/gbk/ · board ${site.url}/api/board/messages)\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await site.close();
  return 0;
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new NonRetryableError(
      'USAGE',
      `yq demo-site: ${flag} expects a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`,
    );
  return value;
}
