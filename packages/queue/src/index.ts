export {
  jobCatalog,
  parsePayload,
  queueOf,
  QUEUE_NAMES,
  type JobName,
  type JobPayload,
  type ParsedJobPayload,
  type QueueName,
} from './catalog.ts';
export { createRedisConnection, redisAnswers, ensureRedis, type RedisHandle } from './connection.ts';
export { JobQueues, DEFAULT_JOB_OPTIONS, type JobQueuesOptions } from './job-queues.ts';
export {
  WorkerRunner,
  delayJob,
  type WorkerRunnerOptions,
  type JobHandler,
  type JobHandlers,
} from './worker-runner.ts';
export { JobCoalescer, type JobCoalescerOptions } from './job-coalescer.ts';
