// @ts-check
// Builds `yq` ahead of time: our TypeScript (every workspace package the CLI imports) compiled by esbuild into
// plain ES modules in packages/cli/dist/, one chunk per command so a command loads only what it uses.
//
// Why: through tsx, every `yq` call compiled ~400 TypeScript files again (1.5–2 s of CPU per call on the 2-core
// machine before the command did anything). The bundle is rebuilt automatically when a source is newer.
//
// Only our own code goes into the bundle. Packages from node_modules stay outside and are imported by absolute
// path from their own folders (as the source file that imports them would find them): pnpm gives every package
// its own node_modules, so no single folder could resolve all of them, and packages such as PGlite or Prisma's
// WebAssembly engines find their files beside their own modules.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CLI_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Root of the workspace (pnpm-lock.yaml lives there). */
export const ROOT_DIR = resolve(CLI_DIR, '..', '..');
export const DIST_DIR = join(CLI_DIR, 'dist');
const ENTRY = join(CLI_DIR, 'src', 'main.ts');
/** Written last: names the build folder and the inputs whose change makes the bundle stale. */
const MANIFEST = join(DIST_DIR, 'manifest.json');
/**
 * Files outside the inputs that change what the bundle imports: a dependency upgrade moves packages to other
 * folders under node_modules/.pnpm, which the bundle names by absolute path.
 */
const EXTRA_INPUTS = ['pnpm-lock.yaml', 'node_modules/.modules.yaml'];
/** Older builds stay this long: a running `yq start` may still load chunks from its own build. */
const STALE_BUILD_MS = 24 * 3600_000;

/**
 * @typedef {{ dir: string, entry: string, inputs: string[], builtAt: number }} Manifest
 */

/** @returns {Promise<Manifest | undefined>} */
async function readManifest() {
  try {
    return JSON.parse(await readFile(MANIFEST, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The entry of a bundle that is at least as new as every one of its inputs, or undefined when there is none
 * (never built, a source edited since, a dependency upgraded, the build folder removed).
 * @returns {Promise<string | undefined>}
 */
export async function freshBundleEntry() {
  const manifest = await readManifest();
  if (!manifest) return undefined;
  const entry = join(DIST_DIR, manifest.dir, manifest.entry);
  const files = [...manifest.inputs, ...EXTRA_INPUTS].map((f) => join(ROOT_DIR, f));
  try {
    const stats = await Promise.all([entry, ...files].map((f) => stat(f)));
    // A build records its start time: a file saved during the build counts as newer.
    if (stats.slice(1).some((s) => s.mtimeMs > manifest.builtAt)) return undefined;
  } catch {
    return undefined;
  }
  return entry;
}

/** @param {string} specifier */
function isBuiltin(specifier) {
  return specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0] ?? '');
}

/**
 * Builds the bundle into a new folder and points the manifest at it (written last, by rename: a `yq` started
 * meanwhile runs the previous build or this one, never half of one). Returns the entry's path.
 * @returns {Promise<string>}
 */
export async function buildBundle() {
  const esbuild = await import('esbuild');
  const builtAt = Date.now();
  const dir = `build-${builtAt}-${process.pid}`;
  const outdir = join(DIST_DIR, dir);
  try {
    const result = await esbuild.build({
      entryPoints: { yq: ENTRY },
      bundle: true,
      splitting: true,
      platform: 'node',
      format: 'esm',
      target: `node${process.versions.node.split('.')[0]}`,
      outdir,
      outExtension: { '.js': '.mjs' },
      metafile: true,
      logLevel: 'silent',
      plugins: [
        {
          name: 'external-node-modules',
          setup(build) {
            build.onResolve({ filter: /^[^./]/ }, async (args) => {
              if (args.pluginData === 'resolving') return undefined;
              if (isBuiltin(args.path)) return { path: args.path, external: true };
              // Our workspace packages are compiled into the bundle.
              if (args.path.startsWith('@yuqing/')) return undefined;
              const found = await build.resolve(args.path, {
                kind: args.kind,
                resolveDir: args.resolveDir,
                importer: args.importer,
                pluginData: 'resolving',
              });
              if (found.errors.length > 0) return { errors: found.errors };
              return { path: pathToFileURL(found.path).href, external: true };
            });
          },
        },
        {
          name: 'own-import-meta-url',
          setup(build) {
            // Each module keeps its own location: code that finds files beside itself (migrations, the
            // dashboard's pages, dictionaries, seeds) works unchanged from the bundle.
            // A define, not a text replacement: the words inside a string literal stay as they are.
            build.onLoad({ filter: /\.[cm]?ts$/ }, async (args) => {
              const source = await readFile(args.path, 'utf8');
              const { code } = await esbuild.transform(source, {
                loader: 'ts',
                format: 'esm',
                sourcefile: args.path,
                target: `node${process.versions.node.split('.')[0]}`,
                define: { 'import.meta.url': JSON.stringify(pathToFileURL(args.path).href) },
              });
              return { contents: code, loader: 'js' };
            });
          },
        },
      ],
    });
    const inputs = Object.keys(result.metafile.inputs)
      .map((f) => relative(ROOT_DIR, resolve(process.cwd(), f)))
      .filter((f) => !f.startsWith('node_modules/') && !f.startsWith('..'));
    /** @type {Manifest} */
    const manifest = { dir, entry: 'yq.mjs', inputs, builtAt };
    const temp = `${MANIFEST}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(manifest)}\n`);
    await rename(temp, MANIFEST);
  } finally {
    await esbuild.stop();
  }
  await removeStaleBuilds(dir);
  return join(outdir, 'yq.mjs');
}

/** @param {string} keep */
async function removeStaleBuilds(keep) {
  const now = Date.now();
  for (const name of await readdir(DIST_DIR)) {
    if (!name.startsWith('build-') || name === keep) continue;
    const path = join(DIST_DIR, name);
    const written = await stat(path).then(
      (s) => s.mtimeMs,
      () => now,
    );
    if (now - written > STALE_BUILD_MS) await rm(path, { recursive: true, force: true });
  }
}

/** The entry of an up-to-date bundle, building one first when needed. */
export async function ensureBundle() {
  const entry = await freshBundleEntry();
  if (entry) return entry;
  await mkdir(DIST_DIR, { recursive: true });
  return buildBundle();
}

// `node packages/cli/bin/cli-bundle.mjs`: build now (scripts/setup.sh does, so the first `yq` is fast).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const entry = await buildBundle();
  process.stdout.write(`yq bundle: ${relative(process.cwd(), entry)}\n`);
}
