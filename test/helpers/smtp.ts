// A real SMTP server (smtp-server) on a free loopback port that keeps every message it receives, for the tests of
// the digest, report and alert mails.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** One message as it arrived: the envelope's recipients and the raw RFC 5322 bytes. */
export interface ReceivedMail {
  to: string[];
  raw: Buffer;
}

/** A running capture server; `received` fills as messages arrive. */
export interface SmtpCapture {
  server: SMTPServer;
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/**
 * Starts an SMTP server on 127.0.0.1 (no TLS, no auth) that stores every message in `received` (the caller's
 * array when given, so a test can declare it before the server starts). `onRcptTo` adds a check of its own (an
 * address to refuse); `port` reuses a port a test stopped the server on.
 */
export async function startSmtpCapture(
  options: Pick<SMTPServerOptions, 'onRcptTo'> & { port?: number; received?: ReceivedMail[] } = {},
): Promise<SmtpCapture> {
  const received = options.received ?? [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    ...(options.onRcptTo ? { onRcptTo: options.onRcptTo } : {}),
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('smtp server has no port');
  return {
    server,
    port: address.port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
