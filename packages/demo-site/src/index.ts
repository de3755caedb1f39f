export {
  startDemoSite,
  DEFAULT_POST_INTERVAL_MS,
  DEFAULT_DEMO_SEED,
  type DemoSite,
  type DemoSiteOptions,
} from './demo-site.ts';
export { demoSourceDefinitions, type DemoSourceDefinition } from './source-definitions.ts';
