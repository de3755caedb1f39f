import { describe, expect, it } from 'vitest';
import { parseCron } from './cron.ts';
import { sourceConfigIssues, SOURCE_KINDS } from './source-config.ts';
import { SCHEDULE_LABELS, scheduleLabel, sourceConfigFields } from './source-form.ts';

describe('source form', () => {
  it('offers only schedules the crawler scheduler accepts, by name', () => {
    for (const cron of Object.keys(SCHEDULE_LABELS)) expect(() => parseCron(cron), cron).not.toThrow();
    expect(scheduleLabel('0 8 * * 1-5')).toBe('工作日 8:00');
    expect(scheduleLabel('0  *  * * *')).toBe('每小时');
    expect(scheduleLabel('5 9 * * *')).toBe('自定义：5 9 * * *');
  });

  it('lists the html kind’s selectors with Chinese names, list links required, details optional', () => {
    const fields = sourceConfigFields('html');
    expect(fields.map((f) => f.path)).toEqual([
      'list.itemLinks',
      'list.nextPage',
      'list.maxPages',
      'detail.title',
      'detail.time',
      'detail.body',
      'detail.author',
    ]);
    expect(fields[0]).toEqual({
      path: 'list.itemLinks',
      label: '列表页文章链接（CSS 选择器）',
      type: 'text',
      required: true,
    });
    expect(fields.find((f) => f.path === 'list.maxPages')).toMatchObject({
      type: 'integer',
      required: false,
      defaultValue: 5,
    });
    expect(fields.filter((f) => f.required).map((f) => f.path)).toEqual(['list.itemLinks']);
  });

  it('requires exactly what the json kind’s schema requires, and names every field', () => {
    const fields = sourceConfigFields('json');
    expect(fields.filter((f) => f.required).map((f) => f.path)).toEqual(['itemsPath', 'fields.url']);
    for (const kind of SOURCE_KINDS)
      for (const f of sourceConfigFields(kind)) expect(f.label, `${kind} ${f.path}`).not.toBe(f.path);
  });

  it('builds configs the API accepts from the required fields alone', () => {
    for (const kind of SOURCE_KINDS) {
      // A 微博 source's mode decides whether it needs a keyword or a uid: such sources are made from presets
      // (source-presets.test.ts), not from required fields alone; so is a hot list, whose platform is a choice.
      if (kind === 'weibo' || kind === 'hotlist') continue;
      const config: Record<string, Record<string, string> | string> = {};
      for (const f of sourceConfigFields(kind).filter((x) => x.required)) {
        const [head, tail] = f.path.split('.') as [string, string | undefined];
        if (tail === undefined) config[head] = 'x';
        else config[head] = { ...(config[head] as Record<string, string> | undefined), [tail]: 'a' };
      }
      expect(sourceConfigIssues(kind, config), kind).toEqual([]);
    }
    expect(sourceConfigFields('article')).toEqual([]);
  });
});
