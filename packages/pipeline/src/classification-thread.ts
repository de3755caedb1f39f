// Entry of a classification thread (see classification-pool.ts): builds the models it is told to use and
// classifies the mentions it is sent, with their clustering features. Everything here is pure CPU. The pool runs
// it from a bundle (see module-bundle.ts): everything it imports must work when bundled (no database).
import { parentPort, workerData } from 'node:worker_threads';
import { errorCode, errorMessage, isRetryable, lowerThreadPriority } from '@yuqing/core';
import type { ClassifyRequest, ClassifyResponse, ClassificationThreadData } from './classification-pool.ts';
import { classifyAndFeature } from './classify-and-feature.ts';
import { ModelCache } from './model-cache.ts';

const cache = new ModelCache();

// This thread's own priority only: the worker's main thread holds database transactions (the embedded database is
// one session shared by every process) and must not wait for the CPU behind the dashboard.
const { niceness } = (workerData ?? {}) as ClassificationThreadData;
if (niceness !== undefined && niceness > 0) lowerThreadPriority(niceness);

parentPort!.on('message', (request: ClassifyRequest) => {
  void (async () => {
    let response: ClassifyResponse;
    try {
      const models = await cache.models(request.specs);
      response = { id: request.id, items: classifyAndFeature(request.mentions, models) };
    } catch (error) {
      response = {
        id: request.id,
        error: { code: errorCode(error), message: errorMessage(error), retryable: isRetryable(error) },
      };
    }
    parentPort!.postMessage(response);
  })();
});
