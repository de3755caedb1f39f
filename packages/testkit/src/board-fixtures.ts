// Real recorded board, WeChat, RSSHub and government-site pages carried by the repository (test/fixtures/boards,
// origins in its README.md), so the boards code paths are tested on a fresh clone without ../shared.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `test/fixtures/boards` of the repository. */
export const BOARD_FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures/boards');

/** One fixture file's bytes. */
export function readBoardFixture(name: string): Buffer {
  return readFileSync(join(BOARD_FIXTURES, name));
}
