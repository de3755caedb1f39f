import { NonRetryableError } from '@yuqing/core';
import { parseFlags } from '../command.ts';
import { COMMAND_HELP } from '../help.ts';
import { loadRuntimeConfig } from '../app-config.ts';

/** `yq extract <url>`: fetches one page (SSRF guard and limits apply) and prints its main content as JSON. */
export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseFlags('extract', argv, {}, true);
  const [url] = positionals;
  if (!url) {
    process.stderr.write(`${COMMAND_HELP.extract.usage}\n`);
    return 2;
  }
  if (positionals.length > 1) throw new NonRetryableError('USAGE', 'yq extract: give exactly one URL');
  const config = loadRuntimeConfig();
  const { extractUrl } = await import('@yuqing/crawlers');
  const result = await extractUrl(url, { allowedPrivateHosts: config.allowedPrivateHosts, timeZone: config.timeZone });
  const out = {
    url: result.url,
    title: result.title,
    publishedAt: result.publishedAt ?? null,
    body: result.body,
    author: result.author ?? null,
    siteName: result.siteName ?? null,
    encoding: result.encoding,
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  return 0;
}
