import { describe, expect, it } from 'vitest';
import {
  auditDetailRows,
  auditEntityName,
  auditEntityRefs,
  flagReasonLabel,
  flagReasonText,
  isEscalationReason,
} from './audit-details.ts';
import { AUDIT_ACTION_LABELS } from './labels.ts';

const names = { user: { 4: '张三（zhangsan）' }, issue: { 12: '养老金调整', 15: '社保卡补办' } };

describe('audit details', () => {
  it('names the pipeline-written actions', () => {
    expect(AUDIT_ACTION_LABELS['issue.flagged']).toBe('标记热点');
  });

  it('collects the subject and the ids in the details for one name lookup', () => {
    expect(
      auditEntityRefs({ action: 'issue.merge', entityType: 'issue', entityId: '12', details: { merged: [15, 16] } }),
    ).toEqual([
      { type: 'issue', id: 12 },
      { type: 'issue', id: 15 },
      { type: 'issue', id: 16 },
    ]);
    expect(
      auditEntityRefs({ action: 'issue.assign', entityType: 'issue', entityId: null, details: { assigneeId: 4 } }),
    ).toEqual([{ type: 'user', id: 4 }]);
  });

  it('shows objects by name, falling back to the number for rows that are gone', () => {
    expect(auditEntityName('user', '4', names)).toBe('用户 张三（zhangsan）');
    expect(auditEntityName('issue', '12', names)).toBe('议题 #12 养老金调整');
    expect(auditEntityName('source', '9', names)).toBe('信源 #9');
    expect(auditEntityName('response', '3', { response: { 3: '（议题：养老金调整）' } })).toBe(
      '回应 #3（议题：养老金调整）',
    );
    expect(auditEntityName('DigestSubscription', '2', names)).toBe('日报订阅 #2');
  });

  it('writes a level change with Chinese keys, level names and the local deadline', () => {
    const rows = auditDetailRows(
      {
        action: 'issue.level',
        entityType: 'issue',
        entityId: '12',
        details: { from: 'none', to: 'major', deadlineAt: '2026-12-04T13:30:00.000Z' },
      },
      names,
    );
    expect(rows).toEqual([
      { key: '原值', value: '未分级' },
      { key: '新值', value: '较大' },
      { key: '回应时限', value: '2026/12/04 21:30' },
    ]);
  });

  it('translates corrections, assignments, merges, user changes and field lists', () => {
    const row = (action: string, details: unknown) =>
      auditDetailRows({ action, entityType: 'issue', entityId: '12', details }, names).map(
        (r) => `${r.key}=${r.value}`,
      );
    expect(row('mention.label', { task: 'sentiment', from: 'neutral', to: 'negative', labelId: 3 })).toEqual([
      '标注类型=情感',
      '原值=非负面',
      '新值=负面',
      '标注编号=3',
    ]);
    expect(row('mention.label', { task: 'relevance', from: null, to: 'irrelevant' })).toEqual([
      '标注类型=相关性',
      '原值=—',
      '新值=不相关',
    ]);
    expect(row('issue.assign', { assigneeId: 4 })).toEqual(['负责人=用户 张三（zhangsan）']);
    expect(row('issue.assign', { assigneeId: null })).toEqual(['负责人=未指派']);
    expect(row('issue.merge', { merged: [15, 99] })).toEqual(['并入的议题=议题 #15 社保卡补办、议题 #99']);
    expect(row('issue.dismiss', { from: 'new', reason: '广告' })).toEqual(['原值=新发现', '原因=广告']);
    expect(
      row('user.update', { changed: { role: { from: 'analyst', to: 'admin' }, active: { from: true, to: false } } }),
    ).toEqual(['修改内容=角色：分析员 → 管理员；启用：是 → 否']);
    expect(row('source.update', { fields: ['schedule', 'config'] })).toEqual(['修改项=抓取计划、配置']);
    expect(row('source.create', { name: '市政府', kind: 'rss' })).toEqual(['名称=市政府', '类型=RSS']);
    expect(row('material.add', { kind: 'qa' })).toEqual(['类型=问答']);
    expect(row('auth.login-failed', { username: 'x', reason: 'wrong password' })).toEqual([
      '原因=密码错误',
      '用户名=x',
    ]);
    // Stored key order (jsonb sorts keys) does not decide the reading order.
    expect(row('mention.label', { to: 'negative', from: 'neutral', task: 'sentiment', labelId: 3 })).toEqual([
      '标注类型=情感',
      '原值=非负面',
      '新值=负面',
      '标注编号=3',
    ]);
  });

  it('writes flag reasons in Chinese and translates the English ones stored before', () => {
    const flagged = flagReasonText({
      type: 'flagged',
      reason: 'threshold',
      hotness: 74.81,
      ratio: 34.62,
      category: '工资福利',
    });
    expect(flagged).toBe('热度 74.8，为「工资福利」类日常水平的 34.6 倍');
    expect(flagReasonLabel('flagged: hotness 74.8 is 34.6× the 工资福利 baseline')).toBe(flagged);
    expect(flagReasonLabel('escalated: still growing (growth), hotness 96.0')).toBe('升级：热度持续上升（热度 96.0）');
    expect(flagReasonLabel('escalated: still growing (threshold), hotness 120.0')).toBe(
      '升级：热度 120.0，达到更高级别的阈值',
    );
    expect(
      flagReasonText({ type: 'escalated', reason: 'threshold', hotness: 120, ratio: 55, category: '工资福利' }),
    ).toBe('升级：热度 120.0，为「工资福利」类日常水平的 55.0 倍');
    expect(flagReasonLabel('某个人工写的原因')).toBe('某个人工写的原因');
    const rows = auditDetailRows(
      {
        action: 'issue.flagged',
        entityType: 'issue',
        entityId: '12',
        details: { level: 'general', reason: 'flagged: hotness 74.8 is 34.6× the 工资福利 baseline' },
      },
      names,
    );
    expect(rows).toEqual([
      { key: '级别', value: '一般' },
      { key: '原因', value: flagged },
    ]);
  });

  it('recognises escalations in both the Chinese and the old English reasons', () => {
    const escalated = flagReasonText({ type: 'escalated', reason: 'growth', hotness: 9, ratio: 3, category: 'x' });
    expect(isEscalationReason(escalated)).toBe(true);
    expect(isEscalationReason('escalated: still growing (growth), hotness 9.0')).toBe(true);
    expect(
      isEscalationReason(flagReasonText({ type: 'flagged', reason: 'threshold', hotness: 9, ratio: 3, category: 'x' })),
    ).toBe(false);
  });
});
