import type { RawMention } from '@yuqing/domain';

/**
 * Most characters of a mention's body (and of an official reply) handed on to ingest. A 50 MB page is allowed to be
 * fetched, but its text must not travel whole through Redis, the database (full-text trigger, jieba tokens) and the
 * classifiers: 100,000 characters is some 30 printed pages, far more than any post or article the bureau reads.
 */
export const MAX_MENTION_BODY_CHARS = 100_000;
/** Most characters of a title (a page whose <title> or heading holds a whole document). */
export const MAX_MENTION_TITLE_CHARS = 1_000;

/** The first `max` characters of `text`, never ending in half a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** The mention with its title, body and reply cut to the limits above (the same object when nothing is longer). */
export function capMentionText(item: RawMention): RawMention {
  if (
    item.body.length <= MAX_MENTION_BODY_CHARS &&
    item.title.length <= MAX_MENTION_TITLE_CHARS &&
    (item.replyText?.length ?? 0) <= MAX_MENTION_BODY_CHARS
  )
    return item;
  return {
    ...item,
    title: cutText(item.title, MAX_MENTION_TITLE_CHARS),
    body: cutText(item.body, MAX_MENTION_BODY_CHARS),
    ...(item.replyText === undefined ? {} : { replyText: cutText(item.replyText, MAX_MENTION_BODY_CHARS) }),
  };
}
