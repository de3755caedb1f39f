// Builds a TypeScript entry and everything it imports into one plain-JavaScript ES module, for worker threads.
//
// Why: Node 20 does not pass a process's loader hooks (tsx) to worker threads, so a thread that imports our
// TypeScript must register tsx itself, which costs a loader thread, esbuild's JavaScript side and one module record
// per file. Measured for the classification thread (RSS of the process once the thread is up, before jieba):
// +51–56 MB with tsx, +21–24 MB from a bundle. That difference decides whether an analysis worker stays under
// 400 MB.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NonRetryableError } from '@yuqing/core';

/**
 * `require` for the CommonJS packages inside the bundle (pino, …) that load Node's own modules: an ES module has
 * none, and esbuild's stand-in throws "Dynamic require … is not supported".
 */
const REQUIRE_BANNER =
  "import { createRequire as __yqCreateRequire } from 'node:module'; const require = __yqCreateRequire(import.meta.url);";

/**
 * Bundles of the same name not written for this long are removed: each upgrade leaves one behind. A worker of an
 * older version that has run longer and then restarts a dead thread finds its bundle gone, and classifies on its
 * main thread instead (the pool's fallback), which is slower but correct.
 */
export const STALE_BUNDLE_MS = 7 * 24 * 3600_000;

/** Packages left out of the bundle: native addons, loaded by the bundled code from their own folders. */
const NATIVE_PACKAGES = ['nodejieba'];

/**
 * Bundles `entry` (a `.ts` file URL) into `<dir>/<name>-<hash>.mjs` and returns that file's URL. The file is named
 * by its content, so processes starting together, or again after an upgrade, never read a half-written or stale
 * bundle, and an unchanged bundle is not written twice.
 *
 * Each module keeps its own `import.meta.url` (replaced by the source file's URL while bundling), so code that
 * finds files beside itself (jieba's user dictionary, the seed files) or loads a native addon through
 * `createRequire(import.meta.url)` works unchanged from the bundle, wherever the bundle is written.
 *
 * @throws NonRetryableError `MODULE_BUNDLE_FAILED` when esbuild is missing or the code does not build.
 */
export async function bundleModule(entry: URL, dir: string, name: string): Promise<URL> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (error) {
    throw new NonRetryableError('MODULE_BUNDLE_FAILED', `esbuild is not installed: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let code: string;
  try {
    const result = await esbuild.build({
      entryPoints: [fileURLToPath(entry)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      write: false,
      external: NATIVE_PACKAGES,
      banner: { js: REQUIRE_BANNER },
      logLevel: 'silent',
      plugins: [
        {
          name: 'own-import-meta-url',
          setup(build) {
            build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
              const source = await readFile(args.path, 'utf8');
              return {
                contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
                loader: 'ts',
              };
            });
          },
        },
      ],
    });
    code = result.outputFiles[0]!.text;
  } catch (error) {
    throw new NonRetryableError('MODULE_BUNDLE_FAILED', `cannot bundle ${entry.href}: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    // esbuild otherwise keeps its service process (~13 MB) for the life of the worker; a bundle is built once.
    await esbuild.stop();
  }
  const file = join(dir, `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
  await mkdir(dir, { recursive: true });
  // Temp file + rename: a thread never imports a half-written bundle.
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, code);
  await rename(temp, file);
  await removeStaleBundles(dir, name, file);
  return pathToFileURL(file);
}

/** Removes `<name>-*.mjs` bundles other than `keep` that were last written over {@link STALE_BUNDLE_MS} ago. */
async function removeStaleBundles(dir: string, name: string, keep: string): Promise<void> {
  const now = Date.now();
  for (const entry of await readdir(dir)) {
    const path = join(dir, entry);
    if (!entry.startsWith(`${name}-`) || !entry.endsWith('.mjs') || path === keep) continue;
    // Another process may remove the same file at the same time: a vanished file is fine.
    const written = await stat(path).then(
      (s) => s.mtimeMs,
      () => now,
    );
    if (now - written > STALE_BUNDLE_MS) await rm(path, { force: true });
  }
}
