import { configureLogger, loadConfig, type AppConfig } from '@yuqing/core';

/** Parses the environment once (with overrides) and configures logging. Throws ConfigError when invalid. */
export function loadRuntimeConfig(overrides: Partial<Record<string, string>> = {}): AppConfig {
  const config = loadConfig({ ...process.env, ...overrides });
  configureLogger({ level: config.logLevel, format: config.logFormat });
  return config;
}
