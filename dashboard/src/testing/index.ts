// Test helpers for the dashboard's API and browser tests (package subpath `@yuqing/dashboard/testing`).
export { ApiClient, startTestDashboard, TEST_PASSWORD, type TestDashboard, type TestUser } from './test-dashboard.ts';
export { fallbackSearchTokens, seedIssue, seedMention, seedSource, type SeedMention } from './seed.ts';
