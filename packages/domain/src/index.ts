// @yuqing/domain: the contracts and rules every stage shares (crawlers, pipeline, dashboard, digest, browser).
// No I/O: schemas, pure rules and labels only.
