// @yuqing/dashboard: the web UI and REST API (`createDashboardApp`), started by `yq start`.
export { createDashboardApp, type DashboardAppOptions } from './app.ts';
export { listenDashboard, KEEP_ALIVE_TIMEOUT_MS } from './http/listen.ts';
