import { describe, expect, it } from 'vitest';
import { configureLogger, createLogger } from './logger.ts';

describe('logger', () => {
  it('applies a level configured after module-level loggers were created', () => {
    const early = createLogger('early-module');
    configureLogger({ level: 'error' });
    expect(early.level).toBe('error');
    expect(early.isLevelEnabled('warn')).toBe(false);
    configureLogger({ level: 'debug' });
    expect(early.isLevelEnabled('debug')).toBe(true);
    configureLogger({ level: 'silent' });
  });
});
