// @yuqing/testkit: test databases, fixtures and the test dashboard. Imported by tests and benchmarks only;
// no production package depends on it.
export {
  createTestDatabase,
  sqlRows,
  countRows,
  withClient,
  TEST_POSTGRES_URL,
  type TestDatabase,
  type SqlTarget,
} from './test-database.ts';
export { seedSyntheticMentions, SYNTHETIC_WORDS } from './synthetic-mentions.ts';
export { digestFixtures } from './digest-fixtures.ts';
export { ApiClient, startTestDashboard, TEST_PASSWORD, type TestDashboard, type TestUser } from './test-dashboard.ts';
export { seedIssue, seedMention, seedSource, type SeedMention, type SeededMention } from './dashboard-seed.ts';
export { hasSharedPages, readShared, readEncodingCase, SHARED_PAGES, ENCODING_FIXTURES } from './shared-pages.ts';
export { BOARD_FIXTURES, readBoardFixture } from './board-fixtures.ts';
export {
  hasSharedData,
  teddySplit,
  smpSplit,
  smpEval,
  HR_TOPIC,
  NEGATIVE_EMOTIONS,
  SHARED_DATA_DIR,
} from './shared-datasets.ts';
export { analysedMentionFixture } from './analysed-mention.ts';
export { mentionInsertFixture } from './mention-insert.ts';
export { startAlertWorker, type AlertWorker, type AlertWorkerOptions } from './alert-worker.ts';
export { mentionForAnalysisFixture } from './mention-for-analysis.ts';
