import { describe, expect, it } from 'vitest';
import { ISSUE_LEVELS } from './issue-rules.ts';
import { LABELS, labelsModuleSource, LEVEL_LABELS } from './labels.ts';

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
