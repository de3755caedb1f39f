import { describe, expect, it } from 'vitest';
import { parseSourceDefinition, sourceDefinitionSchema, type SourceDefinitionInput } from '@yuqing/domain';
import { SOURCE_KINDS, sourceKindCrawler } from './registry.ts';
import { TASK_TYPES } from './source-kind.ts';

const samples: Record<string, SourceDefinitionInput> = {
  rss: { kind: 'rss', url: 'https://www.example.gov.cn/rss.xml' },
  article: { kind: 'article', url: 'https://www.example.gov.cn/a/1.html' },
  html: { kind: 'html', url: 'https://www.example.gov.cn/news/', config: { list: { itemLinks: 'ul a' } } },
  json: {
    kind: 'json',
    url: 'https://www.example.gov.cn/api/list?size=20',
    config: { itemsPath: 'data.items', fields: { url: 'url' }, pagination: { type: 'page' } },
  },
  weibo: { kind: 'weibo', url: 'https://m.weibo.cn', config: { mode: 'search', keyword: '社保卡' } },
  rsshub: {
    kind: 'rsshub',
    url: 'http://127.0.0.1:1200/weibo/user/1935396210',
    config: { route: '/weibo/user/1935396210', baseUrl: 'http://127.0.0.1:1200' },
  },
  wechat_mp: {
    kind: 'wechat_mp',
    url: 'https://wechat2rss.xlab.app/feed/51e92aad2728acdd1fda7314be32b16639353001.xml',
  },
  hotlist: { kind: 'hotlist', url: 'https://m.weibo.cn', config: { platform: 'weibo' } },
};

describe('source kind registry', () => {
  it('has a crawler for every kind the schema accepts, and each handles the tasks it starts with', () => {
    const kinds = sourceDefinitionSchema.options.map((o) => o.shape.kind.value).sort();
    expect(Object.keys(SOURCE_KINDS).sort()).toEqual(kinds);
    for (const kind of kinds) {
      const source = parseSourceDefinition(samples[kind]);
      const crawler = sourceKindCrawler(source);
      for (const label of Object.keys(crawler.pages)) expect(TASK_TYPES).toHaveProperty(label);
      for (const task of crawler.initialTasks(source)) {
        expect(task, kind).toMatchObject({ pageIndex: 0 });
        expect(crawler.pages[task.label], `${kind} starts with ${task.label}`).toBeTypeOf('function');
      }
    }
  });

  it('json page pagination starts at its first page number unless the URL names one', () => {
    const source = parseSourceDefinition(samples.json!);
    expect(sourceKindCrawler(source).initialTasks(source)).toEqual([
      { url: 'https://www.example.gov.cn/api/list?size=20&page=1', label: 'api', pageIndex: 0, page: 1 },
    ]);
    const named = parseSourceDefinition({
      ...samples.json!,
      url: 'https://www.example.gov.cn/api/list?page=3',
    } as SourceDefinitionInput);
    expect(sourceKindCrawler(named).initialTasks(named)).toEqual([
      { url: 'https://www.example.gov.cn/api/list?page=3', label: 'api', pageIndex: 0, page: 3 },
    ]);
  });
});
