import { readFileSync } from 'node:fs';
import { extractArticle, decodeBody } from '@yuqing/crawlers';
for (const f of process.argv.slice(2)) {
  const html = decodeBody(readFileSync(f)).text;
  const a = extractArticle(html, { url: 'https://example.com/a.html' });
  const t = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]?.trim();
  console.log(
    '==',
    f.split('/').pop(),
    '\n  <title>',
    t,
    '\n  ours:',
    a.title,
    '|',
    a.publishedAt,
    '\n  start:',
    a.body.slice(0, 40).replace(/\n/g, '⏎'),
    '\n  end:',
    a.body.slice(-40).replace(/\n/g, '⏎'),
  );
}
