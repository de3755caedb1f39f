import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  parseAlertChannelDefinition,
  quietHoursDelayMs,
  type AlertChannelDefinition,
  type HttpAlertChannelKind,
  type IssueAlert,
} from '@yuqing/domain';
import { alertMail, alertText, cutToBytes } from './alert-message.ts';
import {
  buildAlertRequest,
  buildAlertRequests,
  renderBodyTemplate,
  smsParts,
  templateValues,
  WECOM_MAX_MARKDOWN_BYTES,
} from './channel-requests.ts';
import { readChannelAnswer } from './post-alert.ts';

const alert: IssueAlert = {
  issueId: 33,
  title: '城南社保服务中心排队三小时仍办不了退休手续',
  level: 'major',
  previousLevel: 'general',
  category: '退休待遇',
  reason: '热度为基线的 18.2 倍，1 小时内 14 条',
  mentionCount: 41,
  at: new Date('2026-12-05T01:30:00Z'),
  url: 'https://yq.example.gov.cn/issues/33',
};
const context = { now: new Date('2026-12-05T01:31:00Z'), timeZone: 'Asia/Shanghai' };

describe('alert requests', () => {
  it('writes the alert in Chinese with Beijing time and the raise', () => {
    const { title, text } = alertText(alert, 'Asia/Shanghai');
    expect(title).toBe('【舆情预警·较大】城南社保服务中心排队三小时仍办不了退休手续');
    expect(text).toContain('级别：较大（由一般升级）');
    expect(text).toContain('时间：2026/12/05 09:30（北京时间）');
    expect(text).toContain('提及：41 条');
  });

  it('signs 钉钉 requests in the URL and adds the robot keyword when missing', () => {
    const channel = parseAlertChannelDefinition({
      name: 'd',
      kind: 'dingtalk',
      config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=t0k', secret: 'SECabc', keyword: '人社舆情' },
    });
    const req = buildAlertRequest(channel, alert, context);
    const url = new URL(req.url);
    expect(url.searchParams.get('access_token')).toBe('t0k');
    expect(url.searchParams.get('timestamp')).toBe(String(context.now.getTime()));
    const expected = createHmac('sha256', 'SECabc').update(`${context.now.getTime()}\nSECabc`).digest('base64');
    expect(url.searchParams.get('sign')).toBe(expected);
    expect(JSON.parse(req.body).markdown.text).toMatch(/人社舆情$/);
  });

  it('signs 飞书 requests in the body with the timestamp in seconds', () => {
    const channel = parseAlertChannelDefinition({
      name: 'f',
      kind: 'feishu',
      config: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/abc', secret: 's3' },
    });
    const body = JSON.parse(buildAlertRequest(channel, alert, context).body);
    const ts = Math.floor(context.now.getTime() / 1000);
    expect(body.timestamp).toBe(String(ts));
    expect(body.sign).toBe(createHmac('sha256', `${ts}\ns3`).update('').digest('base64'));
    expect(body.msg_type).toBe('text');
  });

  it('keeps 企业微信 markdown within 4,096 bytes without splitting a character', () => {
    const long = { ...alert, reason: '很长的原因。'.repeat(800) };
    const channel = parseAlertChannelDefinition({
      name: 'w',
      kind: 'wecom',
      config: { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
    });
    const content = JSON.parse(buildAlertRequest(channel, long, context).body).markdown.content as string;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(WECOM_MAX_MARKDOWN_BYTES);
    expect(content.endsWith('…')).toBe(true);
    expect(content).not.toContain('\uFFFD');
    expect(cutToBytes('人社局', 7)).toBe('人…');
  });

  it('fills webhook templates JSON-escaped and names unknown placeholders', () => {
    const values = templateValues({ ...alert, title: 'He said "欠薪"\n第二行' }, 'Asia/Shanghai');
    const body = renderBodyTemplate('{"t":"{{issue.title}}","n":{{issue.mentionCount}}}', values);
    expect(JSON.parse(body)).toEqual({ t: 'He said "欠薪"\n第二行', n: 41 });
    expect(() => renderBodyTemplate('{"x":"{{issue.nope}}"}', values)).toThrow(/issue\.nope/);
  });

  it('reads each platform answer: success, retryable limits, refused signatures', () => {
    expect(readChannelAnswer('wecom', 200, '{"errcode":0,"errmsg":"ok"}').platformCode).toBe(0);
    expect(readChannelAnswer('feishu', 200, '{"StatusCode":0,"code":0,"msg":"success"}').platformCode).toBe(0);
    expect(readChannelAnswer('webhook', 204, '').status).toBe(204);
    const limited = (() => {
      try {
        readChannelAnswer('dingtalk', 200, '{"errcode":130101,"errmsg":"send too fast"}');
      } catch (error) {
        return error as { code: string; retryable: boolean };
      }
    })();
    expect(limited).toMatchObject({ code: 'ALERT_DELIVERY_FAILED', retryable: true });
    const refused = (() => {
      try {
        readChannelAnswer('feishu', 200, '{"code":19021,"msg":"sign match fail"}');
      } catch (error) {
        return error as { code: string; retryable: boolean; message: string };
      }
    })();
    expect(refused).toMatchObject({ code: 'ALERT_DELIVERY_FAILED', retryable: false });
    expect(refused!.message).toContain('19021');
    expect(() => readChannelAnswer('webhook', 503, 'busy')).toThrow(/HTTP 503/);
  });

  it('refuses bad channel configs naming the field', () => {
    expect(() => parseAlertChannelDefinition({ name: 'x', kind: 'dingtalk', config: { url: 'ftp://x' } })).toThrow(
      /channel\.config\.url/,
    );
    expect(() =>
      parseAlertChannelDefinition({ name: 'x', kind: 'webhook', config: { url: 'https://a.cn', extra: 1 } }),
    ).toThrow(/extra/);
    expect(() => parseAlertChannelDefinition({ name: 'x', kind: 'pager', config: { url: 'https://a.cn' } })).toThrow(
      /channel\.kind/,
    );
  });
});

describe('quiet hours', () => {
  const filter = parseAlertChannelDefinition({
    name: 'q',
    kind: 'webhook',
    config: { url: 'https://a.cn/h' },
    filter: { quietHours: { start: '22:00', end: '07:00' } },
  }).filter;

  it('holds alerts below 重大 until quiet hours end (Beijing time), lets 重大 through at once', () => {
    // 23:30 Beijing = 15:30 UTC: 7 h 30 min until 07:00.
    const lateEvening = new Date('2026-12-04T15:30:00Z');
    expect(quietHoursDelayMs(filter, 'general', lateEvening, 'Asia/Shanghai')).toBe(7.5 * 3600_000);
    expect(quietHoursDelayMs(filter, 'major', lateEvening, 'Asia/Shanghai')).toBe(7.5 * 3600_000);
    expect(quietHoursDelayMs(filter, 'severe', lateEvening, 'Asia/Shanghai')).toBe(0);
    // 06:59 Beijing: one minute left; 07:00 and 12:00: not quiet.
    expect(quietHoursDelayMs(filter, 'general', new Date('2026-12-04T22:59:00Z'), 'Asia/Shanghai')).toBe(60_000);
    expect(quietHoursDelayMs(filter, 'general', new Date('2026-12-04T23:00:00Z'), 'Asia/Shanghai')).toBe(0);
    expect(quietHoursDelayMs(filter, 'general', new Date('2026-12-05T04:00:00Z'), 'Asia/Shanghai')).toBe(0);
  });

  it('handles a window inside one day and channels without quiet hours', () => {
    const lunch = parseAlertChannelDefinition({
      name: 'l',
      kind: 'webhook',
      config: { url: 'https://a.cn/h' },
      filter: { quietHours: { start: '12:00', end: '13:30' } },
    }).filter;
    expect(quietHoursDelayMs(lunch, 'general', new Date('2026-12-05T04:30:00Z'), 'Asia/Shanghai')).toBe(3600_000);
    expect(quietHoursDelayMs(lunch, 'general', new Date('2026-12-05T06:00:00Z'), 'Asia/Shanghai')).toBe(0);
    const none = parseAlertChannelDefinition({ name: 'n', kind: 'webhook', config: { url: 'https://a.cn/h' } }).filter;
    expect(quietHoursDelayMs(none, 'general', new Date('2026-12-04T15:30:00Z'), 'Asia/Shanghai')).toBe(0);
    expect(() =>
      parseAlertChannelDefinition({
        name: 'b',
        kind: 'webhook',
        config: { url: 'https://a.cn/h' },
        filter: { quietHours: { start: '25:00', end: '07:00' } },
      }),
    ).toThrow(/quietHours\.start/);
  });
});

describe('SMS requests', () => {
  it('cuts the text into numbered parts of at most 70 characters without splitting a character', () => {
    expect(smsParts('短信'.repeat(10))).toEqual(['短信'.repeat(10)]);
    const text = `${'人社'.repeat(60)}😀尾`;
    const parts = smsParts(text);
    expect(parts.length).toBe(2);
    for (const [i, p] of parts.entries()) {
      expect(Array.from(p).length).toBeLessThanOrEqual(70);
      expect(p.startsWith(`(${i + 1}/2)`)).toBe(true);
    }
    expect(parts.map((p) => p.replace(/^\(\d\/2\)/, '')).join('')).toBe(text);
    const long = smsParts('字'.repeat(700));
    expect(long.length).toBe(12);
    expect(long.every((p) => Array.from(p).length <= 70)).toBe(true);
    expect(long.at(-1)!.startsWith('(12/12)')).toBe(true);
  });

  it('fills a form body URL-encoded and a JSON body JSON-escaped', () => {
    const alert = {
      issueId: 7,
      title: '标题含"引号"&符号',
      level: 'general' as const,
      category: '就业',
      reason: 'r',
      mentionCount: 3,
      at: new Date('2026-12-05T01:30:00Z'),
      url: 'https://yq.example.gov.cn/issues/7',
    };
    const context = { now: new Date(), timeZone: 'Asia/Shanghai' };
    const form = parseAlertChannelDefinition({
      name: 's',
      kind: 'sms',
      config: {
        url: 'https://sms.example.cn/send',
        bodyEncoding: 'form',
        bodyTemplate: 'to={{mobile}}&content={{text}}',
        mobiles: ['13800000000'],
      },
    });
    const [request] = buildAlertRequests(form as Parameters<typeof buildAlertRequests>[0], alert, context);
    const params = new URLSearchParams(request!.body);
    expect(params.get('to')).toBe('13800000000');
    expect(params.get('content')).toContain('标题含"引号"&符号');
    expect(request!.headers['content-type']).toMatch(/x-www-form-urlencoded/);
    const json = parseAlertChannelDefinition({
      name: 's',
      kind: 'sms',
      config: { url: 'https://sms.example.cn/send', mobiles: ['13800000000'] },
    });
    const [jsonRequest] = buildAlertRequests(json as Parameters<typeof buildAlertRequests>[0], alert, context);
    expect(JSON.parse(jsonRequest!.body)).toMatchObject({ mobile: '13800000000' });
    expect((JSON.parse(jsonRequest!.body) as { content: string }).content).toContain('2026/12/05 09:30');
  });
});

describe('the 已知悉 link in every kind of message', () => {
  const ackUrl = 'https://yq.example.gov.cn/ack/812.1765000000.AAAAAAAAAAAAAAAAAAAAAA';
  const acked: IssueAlert = { ...alert, ackUrl };
  const build = (input: unknown) =>
    buildAlertRequests(
      parseAlertChannelDefinition(input) as AlertChannelDefinition<HttpAlertChannelKind>,
      acked,
      context,
    );

  it('puts the link in 企业微信, 钉钉 and 飞书 messages and the webhook template variable', () => {
    const wecom = build({
      name: 'w',
      kind: 'wecom',
      config: { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
    });
    expect(JSON.parse(wecom[0]!.body).markdown.content).toContain(`[已知悉（点击确认）](${ackUrl})`);
    const ding = build({
      name: 'd',
      kind: 'dingtalk',
      config: { url: 'https://oapi.dingtalk.com/robot/send?access_token=t' },
    });
    expect(JSON.parse(ding[0]!.body).markdown.text).toContain(`[已知悉（点击确认）](${ackUrl})`);
    const feishu = build({
      name: 'f',
      kind: 'feishu',
      config: { url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x' },
    });
    expect(JSON.parse(feishu[0]!.body).content.text).toContain(`已知悉请点：${ackUrl}`);
    const hook = build({
      name: 'h',
      kind: 'webhook',
      config: { url: 'https://hooks.example.gov.cn/y', bodyTemplate: '{"ack":"{{ack.url}}"}' },
    });
    expect(JSON.parse(hook[0]!.body)).toEqual({ ack: ackUrl });
    // Without a link (no key held) the variable is empty, not an unknown placeholder.
    expect(templateValues(alert, 'Asia/Shanghai')['ack.url']).toBe('');
    expect(alertText(alert, 'Asia/Shanghai').markdown).not.toContain('已知悉');
  });

  it('keeps the link whole when 企业微信 markdown is cut to 4,096 bytes', () => {
    const long = { ...acked, reason: '很长的原因。'.repeat(800) };
    const [request] = buildAlertRequests(
      parseAlertChannelDefinition({
        name: 'w',
        kind: 'wecom',
        config: { url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', mentionedMobiles: ['13800000000'] },
      }) as AlertChannelDefinition<HttpAlertChannelKind>,
      long,
      context,
    );
    const content = JSON.parse(request!.body).markdown.content as string;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(WECOM_MAX_MARKDOWN_BYTES);
    expect(content).toContain('…');
    expect(content.endsWith(`[已知悉（点击确认）](${ackUrl})\n<@13800000000>`)).toBe(true);
  });

  it('sends the SMS link whole in a part of its own, and links the mail', () => {
    const sms = build({
      name: 's',
      kind: 'sms',
      config: { url: 'https://sms.example.gov.cn/send', mobiles: ['13800000000'], bodyTemplate: '{"t":"{{text}}"}' },
    });
    const texts = sms.map((r) => JSON.parse(r.body).t as string);
    expect(texts.at(-1)).toBe(`已知悉请点 ${ackUrl}`);
    expect(texts.slice(0, -1).join('')).not.toContain('/ack/');
    const mail = alertMail(acked, { from: 'a@b.cn', to: ['c@d.cn'], timeZone: 'Asia/Shanghai' });
    expect(mail.text).toContain(`已知悉请点：${ackUrl}`);
    expect(mail.html).toContain(`<a href="${ackUrl}">已知悉（点击确认，无需登录）</a>`);
    // The table of the mail keeps its rows: the link lines are not read as rows.
    expect(mail.html).not.toContain('<th align="left">查看</th>');
    expect(mail.html).not.toContain('<th align="left">已知悉请点</th>');
  });
});
