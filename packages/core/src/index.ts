export {
  YuqingError,
  NonRetryableError,
  RetryableError,
  ConfigError,
  NotFoundError,
  ConflictError,
  isRetryable,
  errorCode,
  errorMessage,
} from './errors.ts';
export { createLogger, configureLogger, type Logger, type LogFormat } from './logger.ts';
export { type Clock, systemClock, ManualClock } from './clock.ts';
export { environmentSchema, loadConfig, redactUrl, type AppConfig, type TrustProxySetting } from './config.ts';
export { dateInZone, zoneOffsetMinutes, zonedTimeToUtc, dayBounds, formatMinuteInZone } from './time-zone.ts';
export { sha256Hex } from './hash.ts';
export { hashPassword, verifyPassword, generatePassword } from './password.ts';
export {
  checkPasswordPolicy,
  MIN_PASSWORD_CHARS,
  MAX_PASSWORD_CHARS,
  type PasswordProblem,
} from './password-policy.ts';
export { newApiToken, apiTokenHash, isApiTokenShape, API_TOKEN_PREFIX } from './api-token.ts';
export { SecretBox, isSealed, SECRET_PREFIX } from './secret-box.ts';
export { currentThreadId, lowerThreadPriority, threadNiceness } from './thread-priority.ts';
