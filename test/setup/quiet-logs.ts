// Tests assert on behaviour, not log lines: keep JSON logs out of the reporter unless LOG_LEVEL asks for them.
import { configureLogger } from '@yuqing/core';

configureLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
