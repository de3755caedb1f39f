import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@yuqing/testkit';
import { runYq } from './helpers/yq.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(async () => {
  await test.drop();
});

describe('yq model retrain', () => {
  it('reports per task, and leaves the shipped model in place when analysts have labelled too little', async () => {
    const result = await runYq(['model', 'retrain', '--task', 'sentiment'], { env: { DATABASE_URL: test.url } });
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { task: string; status: string; labels: number });
    expect(lines).toEqual([expect.objectContaining({ task: 'sentiment', status: 'skipped', labels: 0 })]);
  });

  it('rejects an unknown task', async () => {
    const result = await runYq(['model', 'retrain', '--task', 'weather'], { env: { DATABASE_URL: test.url } });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--task must be one of relevance, subcategory, sentiment/);
  });
});
