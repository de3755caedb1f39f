import { describe, expect, it } from 'vitest';
import { ManualClock } from '@yuqing/core';
import { readBoardFixture } from '@yuqing/testkit';
import { extractArticle } from './article-extract.ts';
import { decodeBody } from './encoding.ts';
import { extractWechatArticle, wechatScriptVar } from './wechat-article.ts';

const clock = new ManualClock(new Date('2026-11-27T02:00:00Z'));
const url = 'https://mp.weixin.qq.com/s/fixture';
const page = (name: string) => decodeBody(readBoardFixture(name), 'text/html').text;

describe('extractWechatArticle on real saved mp.weixin.qq.com pages (test/fixtures/boards)', () => {
  it('reads title, account and the publish time from the page’s script variables, text from #js_content', () => {
    const a = extractWechatArticle(page('wechat-article-aifou.html'), { url, timeZone: 'Asia/Shanghai', clock });
    expect(a.title).toBe('三星 Galaxy S20 系列手机正式发布');
    // var ct = "1581517074": the saved #publish_time only says "昨天".
    expect(a.publishedAt).toBe('2020-02-12T22:17:54+08:00');
    expect(a.siteName).toBe('爱否科技');
    expect(a.author).toBe('爱否科技');
    expect(a.body.startsWith('今天凌晨，三星在美国旧金山举行发布会')).toBe(true);
    expect(a.body).toContain('拥有黑、金、紫三色可选');
    expect(a.body).not.toContain('var ct');
  });

  it('keeps a named author apart from the account', () => {
    const a = extractWechatArticle(page('wechat-article-weiwen-code.html'), { url, timeZone: 'Asia/Shanghai', clock });
    expect(a.title).toBe('一日一技：在 Python 中实现延迟调用');
    expect(a.publishedAt).toBe('2020-02-11T18:47:50+08:00');
    expect(a.author).toBe('kingname');
    expect(a.siteName).toBe('未闻Code');
    expect(a.body).toContain('contextlib.ExitStack');
  });

  it('the generic extractor, for comparison, finds no publish time and names the platform, not the account', () => {
    const generic = extractArticle(page('wechat-article-aifou.html'), { url, timeZone: 'Asia/Shanghai', clock });
    expect(generic.publishedAt).toBeUndefined();
    expect(generic.siteName).toBe('微信公众平台');
  });

  it('reads script variables of the real page and ignores look-alike names', () => {
    const html = page('wechat-article-aifou.html');
    expect(wechatScriptVar(html, 'nickname')).toBe('爱否科技');
    expect(wechatScriptVar(html, 'user_name')).toBe('gh_3fb3f07c5c4a');
    expect(wechatScriptVar(html, 'nickname_new')).toBeUndefined();
    expect(wechatScriptVar(html, 'no_such_variable')).toBeUndefined();
  });

  it('decodes the escapes pages write into script strings', () => {
    expect(wechatScriptVar('var msg_title = "A\\x26amp;B \\u4eba\\u793e";', 'msg_title')).toBe('A&B 人社');
    expect(wechatScriptVar("var nickname = htmlDecode('人社\\x26quot;发布\\x26quot;');", 'nickname')).toBe(
      '人社"发布"',
    );
  });
});
