import { configureLogger, loadConfig, type AppConfig } from '@yuqing/core';

/** Parses the environment once (with overrides) and configures logging. Throws ConfigError when invalid. */
export function loadRuntimeConfig(overrides: Partial<Record<string, string>> = {}): AppConfig {
  const config = loadConfig({ ...process.env, ...overrides });
  configureLogger({ level: config.logLevel, format: config.logFormat });
  return config;
}

/**
 * For commands whose stdout is their result (a password, a list, JSON): parses the environment and sends logs to
 * stderr, info lowered to warn so a pipe sees only the result. Load packages with module-level loggers (@yuqing/db,
 * @yuqing/digest …) after this call, so that their loggers write there too.
 */
export function loadCommandConfig(): AppConfig {
  const config = loadConfig(process.env);
  configureLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: 2,
    format: config.logFormat,
  });
  return config;
}
