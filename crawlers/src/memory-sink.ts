import type { RawMention } from '@yuqing/domain';
import type { CrawlCheckpoint, CrawlSink } from './crawl-engine.ts';

/** An in-memory sink (CLI `--out`, tests): a seen set per instance, items handed to a callback. */
export function createMemorySink(
  onItems: (items: RawMention[]) => Promise<void> | void,
  seen: Set<string> = new Set(),
): CrawlSink & {
  seen: Set<string>;
  validatorsByUrl: Map<string, { etag?: string; lastModified?: string }>;
  checkpoints: CrawlCheckpoint[];
} {
  const validatorsByUrl = new Map<string, { etag?: string; lastModified?: string }>();
  const checkpoints: CrawlCheckpoint[] = [];
  return {
    seen,
    validatorsByUrl,
    checkpoints,
    unseen: async (urls) => new Set(urls.filter((u) => !seen.has(u))),
    validators: async (url) => validatorsByUrl.get(url),
    emit: async (items) => {
      await onItems(items);
    },
    markSeen: async (urls) => {
      for (const u of urls) seen.add(u);
    },
    rememberPages: async (pages) => {
      for (const p of pages)
        validatorsByUrl.set(p.canonicalUrl, {
          ...(p.etag ? { etag: p.etag } : {}),
          ...(p.lastModified ? { lastModified: p.lastModified } : {}),
        });
    },
    saveCheckpoint: async (c) => {
      checkpoints.push(c);
    },
  };
}
