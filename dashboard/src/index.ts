// @yuqing/dashboard: the web UI and REST API (`createDashboardApp`), started by `yq start`.
export { createDashboardApp, type DashboardAppOptions } from './app.ts';
