#!/usr/bin/env node
// @ts-check
// `yq` launcher: runs the ahead-of-time bundle of the CLI (packages/cli/dist/, rebuilt here when a source is
// newer), or the TypeScript through tsx when YQ_NO_BUNDLE=1 or the bundle cannot be built.
import { pathToFileURL } from 'node:url';

async function entryUrl() {
  const source = new URL('../src/main.ts', import.meta.url).href;
  if (process.env.YQ_NO_BUNDLE === '1') return { url: source, tsx: true };
  try {
    const { ensureBundle } = await import('./cli-bundle.mjs');
    return { url: pathToFileURL(await ensureBundle()).href, tsx: false };
  } catch (error) {
    process.stderr.write(
      `yq: 无法构建命令行程序包，改用 tsx 运行 (cannot build the CLI bundle, running through tsx): ${
        error instanceof Error ? error.message.split('\n')[0] : String(error)
      }\n`,
    );
    return { url: source, tsx: true };
  }
}

const entry = await entryUrl();
if (entry.tsx) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry.url);
