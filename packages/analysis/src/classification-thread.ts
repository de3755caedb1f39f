// Entry of a classification thread (see classification-pool.ts): builds the models it is told to use and
// classifies the mentions it is sent, with their clustering features. Everything here is pure CPU.
import { parentPort } from 'node:worker_threads';
import { errorCode, errorMessage, isRetryable } from '@yuqing/core';
import { classifyAndFeature, type ClassifyRequest, type ClassifyResponse } from './classification-pool.ts';
import { ModelCache } from './model-cache.ts';

const cache = new ModelCache();

parentPort!.on('message', (request: ClassifyRequest) => {
  void (async () => {
    let response: ClassifyResponse;
    try {
      const models = await cache.models(request.specs);
      response = { id: request.id, items: classifyAndFeature(request.mentions, models) };
    } catch (error) {
      response = { id: request.id, error: { code: errorCode(error), message: errorMessage(error), retryable: isRetryable(error) } };
    }
    parentPort!.postMessage(response);
  })();
});
