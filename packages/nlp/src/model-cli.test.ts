// Round trip of `yq model train|predict|eval` through the real CLI (child processes, temp files).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI_TIMEOUT_MS = 60_000;

function yq(args: string[], input?: string): Promise<{ stdout: string; stderr: string }> {
  const child = run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'packages/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    timeout: CLI_TIMEOUT_MS,
  });
  if (input !== undefined) {
    child.child.stdin!.end(input);
  }
  return child;
}

const ROWS = [
  ...[
    '公司拖欠工资三个月',
    '老板跑路欠薪不还',
    '讨薪无门请求帮助',
    '农民工工资被克扣',
    '加班费一直不发',
    '工资拖欠半年了',
    '年底工资还没发',
  ].map((t) => ['wage', t]),
  ...[
    '小区路灯坏了没人修',
    '道路施工噪音扰民',
    '垃圾堆在路边发臭',
    '公交线路太少',
    '停车位严重不足',
    '小区电梯经常故障',
    '下水道堵了',
  ].map((t) => ['city', t]),
];

describe('yq model (CLI)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'yq-model-'));
    // Quoted fields with commas and newlines exercise the CSV parser.
    const csv = ['label,title,body', ...ROWS.map(([l, t], i) => `${l},"标题${i}, 第${i}条","${t}\n（详情）"`)].join(
      '\r\n',
    );
    await writeFile(join(dir, 'train.csv'), csv);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, versions, predicts in order and evaluates', async () => {
    const model = join(dir, 'm.json');
    const args = [
      'model',
      'train',
      '--task',
      'demo',
      '--input',
      join(dir, 'train.csv'),
      '--text',
      'title,body',
      '--label',
      'label',
      '--out',
      model,
    ];
    await yq(args);
    expect(JSON.parse(await readFile(model, 'utf8'))).toMatchObject({
      task: 'demo',
      version: 1,
      previousVersion: null,
    });
    await yq(args);
    expect(JSON.parse(await readFile(model, 'utf8'))).toMatchObject({ version: 2, previousVersion: 1 });

    const { stdout } = await yq(
      ['model', 'predict', '--model', model],
      '{"text":"工地老板拖欠工资"}\n{"text":"路灯不亮了"}\n',
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { label: string; score: number; top: [string, number][] });
    expect(lines.map((l) => l.label)).toEqual(['wage', 'city']);
    expect(lines[0]!.top.length).toBeGreaterThan(0);

    const evaluation = await yq([
      'model',
      'eval',
      '--model',
      model,
      '--input',
      join(dir, 'train.csv'),
      '--text',
      'title,body',
      '--label',
      'label',
      '--json',
    ]);
    const report = JSON.parse(evaluation.stdout) as { macroF1: number; classes: { label: string; f1: number }[] };
    expect(report.classes.map((c) => c.label)).toEqual(['city', 'wage']);
    expect(report.macroF1).toBeGreaterThan(0.9);

    // --neighbours keeps the labelled examples for the vote (short texts train without it by default).
    const voting = join(dir, 'voting.json');
    await yq([
      'model',
      'train',
      '--task',
      'demo',
      '--input',
      join(dir, 'train.csv'),
      '--text',
      'body',
      '--label',
      'label',
      '--out',
      voting,
      '--neighbours',
      '3',
    ]);
    expect(JSON.parse(await readFile(model, 'utf8'))).not.toHaveProperty('memory');
    expect(JSON.parse(await readFile(voting, 'utf8'))).toMatchObject({ formatVersion: 4, memory: { k: 3 } });
    const bad = await yq([
      'model',
      'train',
      '--task',
      'demo',
      '--input',
      join(dir, 'train.csv'),
      '--text',
      'body',
      '--label',
      'label',
      '--out',
      voting,
      '--neighbours',
      'x',
    ]).catch((e: { stderr: string }) => e);
    expect(bad.stderr).toMatch(/--neighbours must be/);
  });

  it('runs the shipped default model and reports a bad line in place', async () => {
    const { stdout } = await yq(
      ['model', 'predict', '--model', 'default:sentiment'],
      '{"text":"投诉无门，太失望了"}\nnot json\n',
    ).catch((e: { stdout: string }) => e);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ label: 'negative' });
    expect(lines[1]).toMatchObject({ error: { code: 'INPUT_INVALID' } });
  });

  it('fails clearly on a missing column', async () => {
    const error = await yq([
      'model',
      'train',
      '--task',
      'x',
      '--input',
      join(dir, 'train.csv'),
      '--text',
      'nope',
      '--label',
      'label',
      '--out',
      join(dir, 'x.json'),
    ]).catch((e: { stderr: string; code: number }) => e);
    expect((error as { code: number }).code).toBe(1);
    expect((error as { stderr: string }).stderr).toMatch(/no column "nope"/);
  });
});
