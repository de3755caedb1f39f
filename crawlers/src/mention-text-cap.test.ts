import { describe, expect, it } from 'vitest';
import { capMentionText, cutText, MAX_MENTION_BODY_CHARS, MAX_MENTION_TITLE_CHARS } from './mention-text-cap.ts';

describe('mention text cap', () => {
  it('cuts body, title and reply to their limits and leaves short mentions untouched', () => {
    const short = {
      url: 'https://www.example.gov.cn/a.html',
      title: '养老金调整',
      body: '各区人社局要做好欠薪治理工作。',
    };
    expect(capMentionText(short)).toBe(short);
    const long = capMentionText({
      ...short,
      title: '标'.repeat(MAX_MENTION_TITLE_CHARS + 10),
      body: '养老'.repeat(MAX_MENTION_BODY_CHARS),
      replyText: '答'.repeat(MAX_MENTION_BODY_CHARS + 1),
    });
    expect(long.title).toHaveLength(MAX_MENTION_TITLE_CHARS);
    expect(long.body).toHaveLength(MAX_MENTION_BODY_CHARS);
    expect(long.replyText).toHaveLength(MAX_MENTION_BODY_CHARS);
    expect(long.body.startsWith('养老养老')).toBe(true);
  });

  it('never leaves half a surrogate pair at the cut', () => {
    // '𠀀' (U+20000, a CJK Extension B character) is two UTF-16 units.
    const text = 'a' + '𠀀'.repeat(10);
    expect(cutText(text, 4)).toBe('a𠀀');
    expect(cutText(text, 5)).toBe('a𠀀𠀀');
  });
});
