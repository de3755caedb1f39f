import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { errorCode } from '@yuqing/core';
import { bundleModule, STALE_BUNDLE_MS } from './module-bundle.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'yq-bundle-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('bundleModule', () => {
  it('bundles TypeScript imports into one module in which every file keeps its own import.meta.url', async () => {
    const src = await tempDir();
    await writeFile(
      join(src, 'entry.ts'),
      "import { nested } from './lib/nested.ts';\nexport const entryUrl: string = import.meta.url;\nexport { nested };\n",
    );
    await (await import('node:fs/promises')).mkdir(join(src, 'lib'));
    await writeFile(
      join(src, 'lib/nested.ts'),
      "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nexport const nested = { url: import.meta.url, sep: (require('node:path') as typeof import('node:path')).sep };\n",
    );
    const out = await tempDir();
    const bundle = await bundleModule(pathToFileURL(join(src, 'entry.ts')), out, 'probe');
    expect(bundle.href.startsWith(pathToFileURL(out).href)).toBe(true);
    const loaded = (await import(bundle.href)) as { entryUrl: string; nested: { url: string; sep: string } };
    expect(loaded.entryUrl).toBe(pathToFileURL(join(src, 'entry.ts')).href);
    expect(loaded.nested).toEqual({ url: pathToFileURL(join(src, 'lib/nested.ts')).href, sep: '/' });
    // Named by content: the same code lands in the same file, without leftovers of the atomic write.
    expect((await bundleModule(pathToFileURL(join(src, 'entry.ts')), out, 'probe')).href).toBe(bundle.href);
    expect(await readdir(out)).toEqual([bundle.pathname.split('/').pop()]);
    // A bundle of an earlier version left a week ago is removed; a recent one (a running worker's) stays.
    const old = join(out, 'probe-0000000000000000.mjs');
    const recent = join(out, 'probe-1111111111111111.mjs');
    const other = join(out, 'other-0000000000000000.mjs');
    for (const file of [old, recent, other]) await writeFile(file, 'export {};\n');
    const weekAgo = new Date(Date.now() - STALE_BUNDLE_MS - 60_000);
    await utimes(old, weekAgo, weekAgo);
    await utimes(other, weekAgo, weekAgo);
    await bundleModule(pathToFileURL(join(src, 'entry.ts')), out, 'probe');
    expect((await readdir(out)).sort()).toEqual(
      [bundle.pathname.split('/').pop(), 'other-0000000000000000.mjs', 'probe-1111111111111111.mjs'].sort(),
    );
  });

  it('reports code that does not build as a non-retryable MODULE_BUNDLE_FAILED', async () => {
    const src = await tempDir();
    await writeFile(join(src, 'broken.ts'), "import { missing } from './nowhere.ts';\nexport const x = missing;\n");
    const error = await bundleModule(pathToFileURL(join(src, 'broken.ts')), await tempDir(), 'broken').catch(
      (e: unknown) => e,
    );
    expect(errorCode(error)).toBe('MODULE_BUNDLE_FAILED');
    expect((error as Error).message).toContain('nowhere.ts');
  });
});
