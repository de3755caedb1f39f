// What `yq digest` and `yq report` do with a composed e-mail: save it as .eml (--out), then send it to --to unless
// this is a dry run, printing what happened in zh-CN. One helper, so both commands say and do the same.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { AppConfig } from '@yuqing/core';
import type { DigestMailer } from '@yuqing/digest';

/** Loose check of an e-mail address that catches typos; the mail server has the last word. */
export const ADDRESS_PATTERN = /^[^\s@<>]+@[^\s@<>]+$/;

/** A composed message, as the digest mailer takes it. */
export type CliMailMessage = Parameters<DigestMailer['send']>[0];

/** Writes `bytes` to `path` (parent folders created) and returns the absolute path. */
export async function writeOutput(path: string, bytes: Buffer): Promise<string> {
  const full = resolve(path);
  await mkdir(dirname(full), { recursive: true });
  await writeFile(full, bytes);
  return full;
}

/**
 * Saves the message as .eml when `out` is given, then sends it to `to` through the configured mailer (SMTP, or the
 * outbox without SMTP_URL) unless `dryRun` or no `to`; prints each step. `fileStem` names the outbox file.
 */
export async function saveAndSendMail(options: {
  message: CliMailMessage;
  out: string | undefined;
  to: string | undefined;
  dryRun: boolean;
  config: Pick<AppConfig, 'smtpUrl' | 'dataDir'>;
  fileStem: string;
}): Promise<void> {
  const { composeMessage, createDigestMailer } = await import('@yuqing/digest');
  if (options.out !== undefined)
    process.stdout.write(`已保存邮件：${await writeOutput(options.out, await composeMessage(options.message))}\n`);
  if (options.dryRun || options.to === undefined) {
    process.stdout.write('演练模式：未发送邮件。\n');
    return;
  }
  const mailer = createDigestMailer(options.config);
  try {
    const delivered = await mailer.send(options.message, options.fileStem);
    process.stdout.write(
      delivered.outboxPath
        ? `未配置 SMTP_URL，邮件已写入发件箱：${delivered.outboxPath}\n`
        : `已发送至 ${options.to}（Message-ID ${delivered.messageId ?? '未知'}）\n`,
    );
  } finally {
    mailer.close();
  }
}
