-- AlterEnum: the 微博 source kind (m.weibo.cn search and user timelines).
ALTER TYPE "SourceKind" ADD VALUE 'weibo';
