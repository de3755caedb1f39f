import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NonRetryableError } from '@yuqing/core';

/** The subset of nodejieba Yuqing uses. */
export interface JiebaBinding {
  load(options?: { dict?: string; hmmDict?: string; userDict?: string; idfDict?: string; stopWordDict?: string }): void;
  cut(sentence: string, useHmm?: boolean): string[];
  extract(sentence: string, topN: number): { word: string; weight: number }[];
  insertWord(word: string, tag?: string): boolean;
}

/** Yuqing's HR & social-security user dictionary, loaded together with jieba's own. */
export const HR_USER_DICT_PATH = fileURLToPath(new URL('../dict/hr-user-dict.utf8', import.meta.url));

let jieba: JiebaBinding | undefined;

/**
 * nodejieba, loaded once per process on first use (~250 MB of dictionaries, ~0.7 s): importing @yuqing/nlp stays
 * cheap for commands that never tokenise. cppjieba aborts the process on a missing dictionary file, so the path
 * is checked here first and reported as an error instead.
 */
export function getJieba(): JiebaBinding {
  if (jieba) return jieba;
  if (!existsSync(HR_USER_DICT_PATH)) {
    throw new NonRetryableError('NLP_DICT_MISSING', `jieba user dictionary not found at ${HR_USER_DICT_PATH}`);
  }
  const require = createRequire(import.meta.url);
  const binding = require('nodejieba') as JiebaBinding;
  binding.load({ userDict: HR_USER_DICT_PATH });
  jieba = binding;
  return binding;
}

/** True once jieba's dictionaries are in memory (used by tests of the lazy loading). */
export function isJiebaLoaded(): boolean {
  return jieba !== undefined;
}
