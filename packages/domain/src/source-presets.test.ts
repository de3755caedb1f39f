import { describe, expect, it } from 'vitest';
import { buildSourceFromPreset } from './source-presets.ts';
import { maskSourceConfig, presetSourceOrIssues, sourcePresetCatalog } from './source-preset-catalog.ts';

describe('微博 presets', () => {
  it('weibo-search builds a polite weibo search source', () => {
    const def = buildSourceFromPreset('weibo-search', { keyword: ' 社保卡 ' });
    expect(def).toMatchObject({ kind: 'weibo', url: 'https://m.weibo.cn', name: '微博搜索：社保卡' });
    expect(def.config).toMatchObject({ mode: 'search', keyword: '社保卡', maxPages: 3, limits: { concurrency: 1 } });
    expect((def.config as { limits: { requestsPerSecond: number } }).limits.requestsPerSecond).toBeLessThanOrEqual(0.5);
  });
  it('weibo-user builds a user timeline source with the optional cookie', () => {
    const def = buildSourceFromPreset('weibo-user', { uid: '1669879400', cookie: 'SUB=x' });
    expect(def.config).toMatchObject({ mode: 'user', uid: '1669879400', cookie: 'SUB=x' });
  });
  it('marks the cookie secret and masks it for output', () => {
    const user = sourcePresetCatalog().find((p) => p.name === 'weibo-user')!;
    expect(user.params.find((p) => p.key === 'cookie')).toMatchObject({ secret: true, required: false });
    expect(maskSourceConfig({ uid: '1', cookie: 'SUB=x' })).toEqual({ uid: '1', cookie: '******' });
  });
  it('names the field of each problem', () => {
    expect(presetSourceOrIssues('weibo-search', {}).issues).toEqual([
      expect.objectContaining({ field: 'params.keyword', code: 'PRESET_PARAM_MISSING' }),
    ]);
    expect(presetSourceOrIssues('weibo-user', { uid: '12ab' }).issues).toEqual([
      expect.objectContaining({ field: 'params.uid', code: 'PRESET_PARAM_INVALID' }),
    ]);
    expect(presetSourceOrIssues('nope', {}).issues[0]!.field).toBe('preset');
    expect(() => buildSourceFromPreset('weibo-user', {})).toThrow(/uid/);
  });
});

describe('hotlist preset', () => {
  it('builds a polite hot-list source for each platform, at the platform origin', () => {
    expect(buildSourceFromPreset('hotlist', { platform: 'weibo' })).toMatchObject({
      kind: 'hotlist',
      url: 'https://m.weibo.cn',
      name: '微博热搜',
      schedule: '*/15 * * * *',
      config: { platform: 'weibo', maxEntries: 50, limits: { concurrency: 1, requestsPerSecond: 0.2 } },
    });
    expect(buildSourceFromPreset('hotlist', { platform: 'zhihu' }).url).toBe('https://www.zhihu.com');
    expect(buildSourceFromPreset('hotlist', { platform: 'baidu' }).url).toBe('https://top.baidu.com');
    expect(buildSourceFromPreset('hotlist', { platform: 'douyin' }).url).toBe('https://aweme.snssdk.com');
  });
  it('offers the platforms as choices and refuses another', () => {
    const preset = sourcePresetCatalog().find((p) => p.name === 'hotlist')!;
    expect(preset.params[0]!.choices!.map((c) => c.value)).toEqual(['weibo', 'zhihu', 'baidu', 'douyin', 'toutiao']);
    expect(presetSourceOrIssues('hotlist', { platform: 'bilibili' }).issues).toEqual([
      expect.objectContaining({ field: 'params.platform', code: 'PRESET_PARAM_INVALID' }),
    ]);
    expect(presetSourceOrIssues('hotlist', {}).issues).toEqual([
      expect.objectContaining({ field: 'params.platform', code: 'PRESET_PARAM_MISSING' }),
    ]);
  });
});
