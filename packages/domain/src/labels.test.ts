import { describe, expect, it } from 'vitest';
import { ISSUE_LEVELS } from './issue-rules.ts';
import { CORRECTION_LABELS, LABELS, labelsModuleSource, LEVEL_LABELS } from './labels.ts';

describe('labels', () => {
  it('names every issue level, in order of seriousness', () => {
    expect(ISSUE_LEVELS.map((l) => LEVEL_LABELS[l])).toEqual(['未分级', '一般', '较大', '重大']);
  });

  it('generates a browser module that exports exactly the same tables', async () => {
    const source = labelsModuleSource();
    const mod = (await import(`data:text/javascript;base64,${Buffer.from(source).toString('base64')}`)) as Record<
      string,
      unknown
    >;
    expect(mod.LABELS).toEqual(LABELS);
    for (const [name, table] of Object.entries(LABELS)) expect(mod[name], name).toEqual(table);
    expect(Object.isFrozen(mod.LEVEL_LABELS)).toBe(true);
  });
});

describe('correction labels', () => {
  it('offers 负面/非负面 and 相关/不相关, with the codes the label API accepts', () => {
    expect(CORRECTION_LABELS.sentiment).toEqual({ negative: '负面', neutral: '非负面' });
    expect(CORRECTION_LABELS.relevance).toEqual({ relevant: '相关', irrelevant: '不相关' });
    expect(Object.keys(CORRECTION_LABELS)).toEqual(['sentiment', 'relevance']);
  });

  it('sends the browser the audit entity names and the correction choices', () => {
    expect(LABELS.AUDIT_ENTITY_LABELS.user).toBe('用户');
    expect(LABELS.CORRECTION_LABELS.relevance.irrelevant).toBe('不相关');
  });
});
