import { describe, expect, it } from 'vitest';
import { detectBlock } from './block-detect.ts';

describe('detectBlock', () => {
  it('flags 401/403/429', () => {
    expect(detectBlock({ status: 403, text: 'Forbidden' })?.code).toBe('HTTP_403');
    expect(detectBlock({ status: 429, text: '' })?.code).toBe('HTTP_429');
    expect(detectBlock({ status: 401, text: '' })?.code).toBe('HTTP_401');
  });
  it('flags a captcha page, a JS challenge shell and a login wall', () => {
    expect(
      detectBlock({ status: 200, text: '<html><body><div id="nc_1_wrapper">请拖动滑块完成验证</div></body></html>' })
        ?.code,
    ).toBe('CAPTCHA');
    expect(
      detectBlock({
        status: 200,
        text: '<html><head><script>document.cookie="__jsl_clearance=1";location.reload()</script></head><body></body></html>',
      })?.code,
    ).toBe('JS_CHALLENGE');
    expect(
      detectBlock({
        status: 200,
        text: '<html><body><h2>请先登录</h2><form><input type="password"></form></body></html>',
      })?.code,
    ).toBe('LOGIN_WALL');
    expect(
      detectBlock({
        status: 200,
        text: '<html><body>x</body></html>',
        requestedUrl: 'http://a.cn/news/1.html',
        finalUrl: 'http://a.cn/passport/login?next=1',
      })?.code,
    ).toBe('LOGIN_WALL');
  });
  it('does not flag a long article that mentions 验证码 or 登录', () => {
    const body = '警方提醒：不要把短信验证码告诉陌生人，请先登录官方网站核实。'.repeat(60);
    expect(
      detectBlock({ status: 200, text: `<html><body><p>${body}</p><script>var a=1</script></body></html>` }),
    ).toBeUndefined();
    expect(detectBlock({ status: 200, text: '{"code":0}' })).toBeUndefined();
  });
});
