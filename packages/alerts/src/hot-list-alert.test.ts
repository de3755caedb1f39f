// A hot-list alert in every channel kind: the 热榜 line (platform, rank, heat) in robot markdown, text, SMS and
// mail, and the `{{hotList.*}}` webhook values, which are empty (not unknown) for other alerts.
import { describe, expect, it } from 'vitest';
import { parseAlertChannelDefinition, type IssueAlert } from '@yuqing/domain';
import { alertMail, alertSmsText, alertText } from './alert-message.ts';
import { buildAlertRequest, renderBodyTemplate, templateValues } from './channel-requests.ts';

const alert: IssueAlert = {
  issueId: 12,
  title: '行政被要求兼做保洁',
  level: 'general',
  category: '劳动关系',
  reason: '相关热榜条目进入微博热搜前 3：「打工人兼职保洁」第 2 名，热度 154.3万',
  mentionCount: 1,
  at: new Date('2026-12-05T01:30:00Z'),
  url: 'https://yq.example.gov.cn/issues/12',
  hotList: { platform: 'weibo', rank: 2, heat: 1_542_565, title: '打工人兼职保洁', band: 'top3' },
};
const TZ = 'Asia/Shanghai';
const TEMPLATE =
  '{"p":"{{hotList.platform}}","name":"{{hotList.platformName}}","rank":"{{hotList.rank}}","heat":"{{hotList.heat}}","entry":"{{hotList.title}}","band":"{{hotList.band}}"}';

describe('hot-list alert message', () => {
  it('carries platform, rank and heat in text, markdown, SMS and mail', () => {
    const text = alertText(alert, TZ);
    expect(text.text).toContain('热榜：微博热搜 第 2 名，热度 154.3万');
    expect(text.markdown).toContain('> **热榜**：微博热搜 第 2 名，热度 154.3万');
    expect(alertSmsText(alert, TZ)).toContain('（劳动关系，微博热搜第2名，1条，');
    const mail = alertMail(alert, { from: 'yq@example.gov.cn', to: ['duty@example.gov.cn'], timeZone: TZ });
    expect(mail.html).toContain('<th align="left">热榜</th><td>微博热搜 第 2 名，热度 154.3万</td>');
    const { hotList: _none, ...flag } = alert;
    expect(alertText(flag, TZ).text).not.toContain('热榜：');
  });

  it('fills {{hotList.*}} in webhook templates, empty for alerts that are not about a hot-list entry', () => {
    const body = JSON.parse(renderBodyTemplate(TEMPLATE, templateValues(alert, TZ)));
    expect(body).toEqual({
      p: 'weibo',
      name: '微博热搜',
      rank: '2',
      heat: '1542565',
      entry: '打工人兼职保洁',
      band: 'top3',
    });
    const { hotList: _none, ...flag } = alert;
    expect(JSON.parse(renderBodyTemplate(TEMPLATE, templateValues(flag, TZ)))).toEqual({
      p: '',
      name: '',
      rank: '',
      heat: '',
      entry: '',
      band: '',
    });
    const channel = parseAlertChannelDefinition({
      name: 'w',
      kind: 'webhook',
      config: { url: 'https://hooks.example.cn/a' },
    });
    const plain = JSON.parse(buildAlertRequest(channel, alert, { now: alert.at, timeZone: TZ }).body);
    expect(plain).toMatchObject({ 'hotList.platform': 'weibo', 'hotList.rank': 2, 'hotList.heat': 1542565 });
  });
});
