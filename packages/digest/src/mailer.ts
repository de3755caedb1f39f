// Delivery: SMTP when SMTP_URL is set, otherwise RFC 5322 `.eml` files in `<dataDir>/outbox/` that any
// mail client opens (and an operator can forward). Errors are classified so the queue knows whether a
// retry can help.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { errorMessage, NonRetryableError, RetryableError, type AppConfig, type YuqingError } from '@yuqing/core';
import type { DigestContent } from './digest-content.ts';
import { TREND_CHART_CID, type RenderedDigestEmail } from './digest-email.ts';
import { briefingFileName } from './briefing-docx.ts';

/** Give up on an SMTP server that does not answer within these limits; the queue retries later. */
export const SMTP_CONNECTION_TIMEOUT_MS = 15_000;
export const SMTP_GREETING_TIMEOUT_MS = 15_000;
export const SMTP_SOCKET_TIMEOUT_MS = 60_000;

/** Folder under the data dir where mail goes when no SMTP server is configured. */
export const OUTBOX_DIR_NAME = 'outbox';

/** Where a message went. */
export interface DeliveryResult {
  messageId: string | null;
  /** Set for the outbox: the `.eml` file written. */
  outboxPath?: string;
}

/** Sends composed messages. */
export interface DigestMailer {
  readonly kind: 'smtp' | 'outbox';
  /** Sends `message`; `fileStem` names the `.eml` file in outbox mode. Throws a classified {@link YuqingError}. */
  send(message: Mail.Options, fileStem: string): Promise<DeliveryResult>;
  close(): void;
}

/** SMTP via `config.smtpUrl`, or the outbox in `config.dataDir` without one. */
export function createDigestMailer(config: Pick<AppConfig, 'smtpUrl' | 'dataDir'>): DigestMailer {
  if (config.smtpUrl) {
    const transport = nodemailer.createTransport({
      url: config.smtpUrl,
      connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
      greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
      socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
    });
    return {
      kind: 'smtp',
      async send(message) {
        try {
          const info = await transport.sendMail(message);
          return { messageId: info.messageId ?? null };
        } catch (error) {
          throw classifyMailError(error);
        }
      },
      close: () => transport.close(),
    };
  }
  const outbox = join(config.dataDir, OUTBOX_DIR_NAME);
  return {
    kind: 'outbox',
    async send(message, fileStem) {
      try {
        const bytes = await composeMessage(message);
        await mkdir(outbox, { recursive: true });
        const path = join(outbox, `${fileStem.replace(/[^\w.-]/g, '_')}.eml`);
        // Write then rename: a reader of the outbox never sees half a message.
        const partial = `${path}.${randomBytes(4).toString('hex')}.part`;
        try {
          await writeFile(partial, bytes);
          await rename(partial, path);
        } catch (error) {
          // A failed write (full disk) must not leave a half file behind: each retry would add another.
          await rm(partial, { force: true }).catch(() => {});
          throw error;
        }
        return { messageId: typeof message.messageId === 'string' ? message.messageId : null, outboxPath: path };
      } catch (error) {
        throw classifyMailError(error);
      }
    },
    close: () => {},
  };
}

/** The complete message as RFC 5322 bytes with CRLF line ends (for `.eml` files and dry runs). */
export async function composeMessage(message: Mail.Options): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await transport.sendMail(message);
  // nodemailer converts header line ends but leaves the ones inside encoded bodies as given; a file
  // should use CRLF throughout. latin1 keeps every byte as it is (bodies are 7-bit encoded anyway).
  return Buffer.from((info.message as Buffer).toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
}

/**
 * Turns a delivery failure into a coded error: a permanent SMTP rejection (5xx), a missing recipient or bad
 * credentials cannot be fixed by retrying; a refused connection, a timeout, a 4xx reply or a full disk can.
 */
export function classifyMailError(error: unknown): YuqingError {
  const e = (error ?? {}) as { code?: string; responseCode?: number };
  const message = errorMessage(error);
  if (e.code === 'EAUTH')
    return new NonRetryableError(
      'SMTP_AUTH_FAILED',
      `the mail server refused the credentials in SMTP_URL: ${message}`,
      { cause: error },
    );
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    return new NonRetryableError(
      'SMTP_REJECTED',
      `the mail server rejected the message (${e.responseCode}): ${message}`,
      { cause: error },
    );
  }
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    // 4xx is "try again later" (greylisting, mailbox busy), also when it rejects a recipient.
    return new RetryableError('SMTP_DEFERRED', `the mail server deferred the message (${e.responseCode}): ${message}`, {
      cause: error,
    });
  }
  if (e.code === 'EENVELOPE')
    return new NonRetryableError('MAIL_BAD_RECIPIENT', `the message has no deliverable recipient: ${message}`, {
      cause: error,
    });
  if (e.code === 'ENOSPC' || e.code === 'EDQUOT')
    return new RetryableError('OUTBOX_DISK_FULL', `cannot write to the outbox: disk full (${message})`, {
      cause: error,
    });
  if (e.code === 'EACCES' || e.code === 'EROFS')
    return new NonRetryableError('OUTBOX_NOT_WRITABLE', `cannot write to the outbox: ${message}`, { cause: error });
  return new RetryableError('SMTP_UNAVAILABLE', `cannot deliver the digest: ${message}`, { cause: error });
}

/** Inputs of {@link composeDigestMessage}. */
export interface DigestMessageInput {
  content: DigestContent;
  rendered: RenderedDigestEmail;
  chartPng: Buffer;
  /** The .docx briefing, when attached. */
  docx?: Buffer | undefined;
  from: string;
  to: { name: string; address: string };
  /** Message-ID (with angle brackets). */
  messageId: string;
}

/** A deterministic Message-ID per recipient and day, so a duplicate delivery is recognisable as the same mail. */
export function digestMessageId(publicUrl: string, date: string, recipientKey: string): string {
  let host = 'yuqing.localhost';
  try {
    host = new URL(publicUrl).hostname || host;
  } catch {
    // keep the fallback host
  }
  return `<digest.${date}.${recipientKey}@${host}>`;
}

/** The nodemailer message of a digest: HTML + text alternatives, the chart inline by Content-ID, the .docx optional. */
export function composeDigestMessage(input: DigestMessageInput): Mail.Options {
  const attachments: NonNullable<Mail.Options['attachments']> = [
    {
      filename: 'trend.png',
      content: input.chartPng,
      contentType: 'image/png',
      cid: TREND_CHART_CID,
      contentDisposition: 'inline',
    },
  ];
  if (input.docx) {
    attachments.push({
      filename: briefingFileName(input.content.date),
      content: input.docx,
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    });
  }
  return {
    from: input.from,
    to: { name: input.to.name, address: input.to.address },
    subject: input.rendered.subject,
    text: input.rendered.text,
    html: input.rendered.html,
    messageId: input.messageId,
    date: input.content.generatedAt,
    headers: { 'Auto-Submitted': 'auto-generated', 'X-Yuqing-Digest-Date': input.content.date },
    attachments,
  };
}
