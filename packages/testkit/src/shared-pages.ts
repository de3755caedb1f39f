// Crawler fixtures: real saved pages (outside the repo, in ../shared) and the crawler's generated encoding cases.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** `../shared/fixtures/pages` relative to the repository root. */
export const SHARED_PAGES = resolve(here, '../../../../shared/fixtures/pages');
/** The crawler's own generated encoding cases. */
export const ENCODING_FIXTURES = resolve(here, '../../../test/fixtures/crawl/encodings');

let warned = false;

/**
 * True when `../shared/fixtures/pages` is beside the checkout. Tests of real saved pages run only then; without it
 * they are skipped and this says so once on stderr (the repo's own generated fixtures still cover each code path).
 */
export function hasSharedPages(): boolean {
  const present = existsSync(SHARED_PAGES);
  if (!present && !warned) {
    warned = true;
    process.stderr.write(`testkit: ${SHARED_PAGES} not found; tests on real saved pages are skipped\n`);
  }
  return present;
}

/** One saved page from `../shared/fixtures/pages`. */
export function readShared(name: string): Buffer {
  return readFileSync(join(SHARED_PAGES, name));
}
/** One generated encoding case from test/fixtures/crawl/encodings. */
export function readEncodingCase(name: string): Buffer {
  return readFileSync(join(ENCODING_FIXTURES, name));
}
