// The reply library's shared rules: which sources a record comes from and the identity of a record (its content
// hash), so an import and a published response compute the same key and a reply is stored once.
import { sha256Hex } from '@yuqing/core';

/** Where a reply record came from: the bureau's archive (`yq replies import`) or a published Yuqing response. */
export const REPLY_SOURCES = ['import', 'response'] as const;
/** One of {@link REPLY_SOURCES}. */
export type ReplySource = (typeof REPLY_SOURCES)[number];

/** Whitespace differences (re-exports, Excel line breaks) must not make the same reply a new record. */
function squash(text: string | null | undefined): string {
  return (text ?? '').normalize('NFKC').replace(/\s+/gu, '');
}

/** The identity of a reply record: sha256 of the normalised title, question and answer. */
export function replyContentHash(input: { title?: string | null; question: string; answer: string }): string {
  return sha256Hex(`${squash(input.title)}\u0000${squash(input.question)}\u0000${squash(input.answer)}`);
}
