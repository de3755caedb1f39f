-- Sources of `yq import` (MediaCrawler output, vendor CSV/XLSX exports): stored like any source, never crawled.
ALTER TYPE "SourceKind" ADD VALUE IF NOT EXISTS 'import';
