-- Source kinds for RSSHub routes and WeChat official accounts (issue #15). Additive: existing sources keep their kind.
ALTER TYPE "SourceKind" ADD VALUE IF NOT EXISTS 'rsshub';
ALTER TYPE "SourceKind" ADD VALUE IF NOT EXISTS 'wechat_mp';
