// Crawler fixtures: real saved pages (outside the repo, in ../shared) and the crawler's generated encoding cases.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** `../shared/fixtures/pages` relative to the repository root. */
export const SHARED_PAGES = resolve(here, '../../../../shared/fixtures/pages');
/** The crawler's own generated encoding cases. */
export const ENCODING_FIXTURES = resolve(here, '../../../test/fixtures/crawl/encodings');

/** One saved page from `../shared/fixtures/pages`. */
export function readShared(name: string): Buffer {
  return readFileSync(join(SHARED_PAGES, name));
}
/** One generated encoding case from test/fixtures/crawl/encodings. */
export function readEncodingCase(name: string): Buffer {
  return readFileSync(join(ENCODING_FIXTURES, name));
}
