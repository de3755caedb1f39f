// Every source kind by its `kind`. A new kind is one module implementing SourceKindCrawler plus its line here (and
// its config schema in @yuqing/domain's source-config); the mapped type makes a kind without a crawler a type error.
import type { SourceDefinition } from '@yuqing/domain';
import { articleKind } from './article.ts';
import { hotlistKind } from './hotlist.ts';
import { htmlKind } from './html.ts';
import { jsonKind } from './json.ts';
import { rssKind } from './rss.ts';
import { rsshubKind } from './rsshub.ts';
import { wechatMpKind } from './wechat-mp.ts';
import type { SourceKindCrawler } from './source-kind.ts';
import { weiboKind } from './weibo.ts';

/** The crawler of each source kind. */
export const SOURCE_KINDS: {
  readonly [K in SourceDefinition['kind']]: SourceKindCrawler<Extract<SourceDefinition, { kind: K }>>;
} = {
  rss: rssKind,
  html: htmlKind,
  json: jsonKind,
  article: articleKind,
  weibo: weiboKind,
  rsshub: rsshubKind,
  wechat_mp: wechatMpKind,
  hotlist: hotlistKind,
};

/** The crawler of a source's kind. */
export function sourceKindCrawler<S extends SourceDefinition>(source: S): SourceKindCrawler<S> {
  // TypeScript cannot correlate `source.kind` with the entry it picks; the mapped type above guarantees it.
  return SOURCE_KINDS[source.kind] as unknown as SourceKindCrawler<S>;
}
