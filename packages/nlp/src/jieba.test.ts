import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPACT_DICT_MIN_FREQ,
  compactDictionaryPaths,
  configureJieba,
  getJieba,
  jiebaDictionary,
  jiebaDictionaryCopies,
} from './jieba.ts';

describe('compact jieba dictionary', () => {
  let dir: string;
  let source: { DEFAULT_DICT: string; DEFAULT_IDF_DICT: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yq-jieba-'));
    source = { DEFAULT_DICT: join(dir, 'jieba.dict.utf8'), DEFAULT_IDF_DICT: join(dir, 'idf.utf8') };
    const rare = COMPACT_DICT_MIN_FREQ - 1;
    await writeFile(
      source.DEFAULT_DICT,
      [
        '工资 5000 n',
        `一万一千八百八十斤 ${rare} m`,
        `岳麓区 ${rare} nr`,
        `魏家坡 ${rare} ns`,
        `龟龙麟凤 ${rare} i`,
        `拖欠 ${COMPACT_DICT_MIN_FREQ} v`,
        '',
      ].join('\n'),
    );
    await writeFile(
      source.DEFAULT_IDF_DICT,
      ['工资 5.1', '一万一千八百八十斤 13.9', '岳麓区 12.0', '龟龙麟凤 13.9', '拖欠 8.2', ''].join('\r\n'),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('drops rare words but keeps places, and the IDF table follows the dictionary', async () => {
    const cache = join(dir, 'cache');
    const paths = compactDictionaryPaths(source, cache);
    const words = (await readFile(paths.dict, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    expect(words).toEqual(['工资', '岳麓区', '魏家坡', '拖欠']);
    const idfWords = (await readFile(paths.idf, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[0]);
    expect(idfWords).toEqual(['工资', '岳麓区', '拖欠']);
    // Second call reuses the cached files.
    expect(compactDictionaryPaths(source, cache)).toEqual(paths);
  });

  it('is what the process loads by default, once (no TextRank copy), and cannot be swapped once loaded', async () => {
    const cache = join(dir, 'process-cache');
    configureJieba({ cacheDir: cache });
    getJieba();
    expect(jiebaDictionaryCopies()).toBe(1);
    // The segmenter read the real dictionary through the pipe, and the pipe's folder is gone.
    expect(getJieba().cut('中华人民共和国成立了劳动争议仲裁委员会', false)).toEqual(
      expect.arrayContaining(['中华人民共和国', '成立']),
    );
    expect((await readdir(cache)).filter((f) => f.startsWith('load-'))).toEqual([]);
    expect(jiebaDictionary()).toBe('compact');
    expect(getJieba().cut('我想补办社保卡', false)).toContain('社保卡');
    expect(() => configureJieba({ dictionary: 'full' })).toThrow(/already loaded/);
    expect(() => configureJieba({ dictionary: 'compact', cacheDir: cache })).not.toThrow();
  });
});
