export { openDatabase, createDbClient, closeDbClient, probeDatabase, type Db, type DbTx, type Database, type OpenDatabaseOptions } from './client.ts';
export { openEmbeddedServer, openMemoryServer, findRunningEmbeddedServer, embeddedUrl, type EmbeddedServer } from './embedded-server.ts';
export { applyMigrations, createMigration, pendingSchemaChanges, readMigrationList } from './migrations.ts';
export { MIGRATIONS_DIR, SCHEMA_PATH, PRISMA_DIR } from './paths.ts';
export type { User, Session, Source, CrawlRun, SeenUrl, Mention, MonitoringScheme, Analysis, ModelVersion, AnalystLabel, Issue, IssueHotness, IssueFlag, Response, ResponseVersion, Approval, PublishRecord, InterpretationMaterial, DigestSubscription, SentDigest, AuditLog, EngineState } from './generated/prisma/client.ts';
export { Role, SourceKind, CrawlRunStatus, IssueStatus, IssueLevel, ResponseStatus } from './generated/prisma/enums.ts';
export { Prisma } from './generated/prisma/client.ts';

// Repository functions, one file per area (only this package touches the generated client).
export * from './repos/audit.ts';
export * from './repos/users.ts';
export * from './repos/status.ts';
export * from './repos/sources.ts';
export * from './repos/mentions.ts';
export * from './repos/crawl-runs.ts';
export * from './repos/analysis.ts';
export * from './repos/issues.ts';
export * from './repos/responses.ts';
export * from './repos/digests.ts';
export * from './repos/mention-queries.ts';
