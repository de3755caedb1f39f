// @yuqing/dashboard: the web UI and REST API (`createDashboardApp`), started by `yq start`.
export { createDashboardApp, type DashboardAppOptions } from './app.ts';
// Test helpers (real PostgreSQL + Redis dashboard, seeding, a logged-in API client), as @yuqing/db exports createTestDatabase.
export { ApiClient, startTestDashboard, TEST_PASSWORD, fallbackSearchTokens, seedIssue, seedMention, seedSource, type TestDashboard, type TestUser, type SeedMention } from './testing/index.ts';
