import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { createLogger } from '@yuqing/core';
import { createScramVerifier, SCRAM_MECHANISM, ScramServerSession, type ScramVerifier } from './scram-auth.ts';

const log = createLogger('pglite-wire');

/** PostgreSQL protocol 3.0 in a startup packet. */
const PROTOCOL_3 = 196608;
/** Special request codes sent in place of a protocol version. */
const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
/** Messages that end a unit of work the backend must see without interleaving: Sync, simple Query, Flush. */
const GROUP_END = new Set(['S'.charCodeAt(0), 'Q'.charCodeAt(0), 'H'.charCodeAt(0)]);
const TERMINATE = 'X'.charCodeAt(0);
/** Largest message we accept (PostgreSQL's own limit for most messages is 1 GB; ours is smaller). */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
/** Largest message a client that has not authenticated yet may send (SASL messages are a few hundred bytes). */
const MAX_UNAUTHENTICATED_MESSAGE_BYTES = 10_000;
/** A client gets this long to finish authenticating, so idle unauthenticated sockets cannot pile up. */
const AUTH_TIMEOUT_MS = 15_000;
const SASL_RESPONSE = 'p'.charCodeAt(0);
/** Authentication request codes (the int32 after 'R'). */
const AUTH_SASL = 10;
const AUTH_SASL_CONTINUE = 11;
const AUTH_SASL_FINAL = 12;

/** A run of protocol messages from one connection that must reach PGlite back to back. */
interface WorkGroup {
  connection: Connection;
  messages: Uint8Array[];
  /** A startup packet touches no transaction state, so it may run while another client's transaction is open. */
  startup?: boolean;
}

interface Connection {
  id: number;
  socket: Socket;
  buffer: Buffer;
  started: boolean;
  /** Where the SASL exchange stands; `done` once the password was proven (or none is required). */
  auth: 'startup' | 'sasl-initial' | 'sasl-final' | 'done';
  scram: ScramServerSession | undefined;
  /** The startup packet, handed to PGlite only after authentication. */
  startupPacket: Uint8Array | undefined;
  authTimer: NodeJS.Timeout | undefined;
  pending: Uint8Array[];
  closed: boolean;
}

/**
 * Serves one PGlite database to many PostgreSQL clients over TCP.
 *
 * PGlite is a single backend session, so messages from different connections must never interleave inside
 * an extended-query sequence (Parse … Sync shares the unnamed statement and portal) or inside a transaction.
 * This server queues whole sequences ending in Sync / Query / Flush and, while PGlite is inside a
 * transaction, runs only the owning connection's work. (`@electric-sql/pglite-socket` 0.2 queues single
 * messages, which let another client's Parse replace a statement between Bind and Execute: "bind message
 * supplies 2 parameters, but prepared statement requires 3" under concurrent load, measured here.)
 */
export class PGliteWireServer {
  private server: Server | undefined;
  private readonly queue: WorkGroup[] = [];
  private processing = false;
  /** Connection whose transaction is open in PGlite, if any. */
  private owner: Connection | undefined;
  private nextId = 1;
  private readonly connections = new Set<Connection>();
  private readonly verifier: ScramVerifier | undefined;

  /**
   * @param password - when given, every client must prove it with SCRAM-SHA-256 before PGlite sees any of its
   *   messages (the database holds password hashes and sessions: a loopback port is reachable by every local user).
   */
  constructor(
    private readonly db: PGlite,
    password?: string,
  ) {
    this.verifier = password === undefined ? undefined : createScramVerifier(password);
  }

  /** Listens on loopback `127.0.0.1:port` (port 0 picks a free one); resolves with the port. */
  async listen(port: number): Promise<number> {
    // Loopback only, on purpose: there is no TLS, so the socket must never face a network.
    const host = '127.0.0.1';
    await this.db.waitReady;
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        const address = server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  /** Stops accepting, closes every connection and waits for the work in hand to finish. */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const connection of this.connections) connection.socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    while (this.processing) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private accept(socket: Socket): void {
    const connection: Connection = {
      id: this.nextId++,
      socket,
      buffer: Buffer.alloc(0),
      started: false,
      auth: this.verifier ? 'startup' : 'done',
      scram: undefined,
      startupPacket: undefined,
      authTimer: undefined,
      pending: [],
      closed: false,
    };
    this.connections.add(connection);
    if (this.verifier) {
      connection.authTimer = setTimeout(() => {
        if (connection.auth !== 'done') this.reject(connection, 'authentication timed out');
      }, AUTH_TIMEOUT_MS);
      connection.authTimer.unref();
    }
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.receive(connection, data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.disconnect(connection));
  }

  private receive(connection: Connection, data: Buffer): void {
    if (connection.closed) return;
    connection.buffer = connection.buffer.length === 0 ? data : Buffer.concat([connection.buffer, data]);
    for (;;) {
      const buffer = connection.buffer;
      if (!connection.started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (length < 8 || length > 10_000) return this.reject(connection, 'bad startup packet');
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        connection.buffer = buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSS_REQUEST) {
          // No TLS on a loopback socket: the client then continues in plain text.
          connection.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          connection.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) return this.reject(connection, `unsupported protocol ${code}`);
        connection.started = true;
        const startup = new Uint8Array(buffer.subarray(0, length));
        if (connection.auth === 'done') {
          this.enqueue({ connection, messages: [startup], startup: true });
        } else {
          connection.startupPacket = startup;
          connection.auth = 'sasl-initial';
          connection.scram = new ScramServerSession(this.verifier!);
          const mechanisms = Buffer.from(`${SCRAM_MECHANISM}\0\0`, 'latin1');
          connection.socket.write(authMessage(AUTH_SASL, mechanisms));
        }
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      const limit = connection.auth === 'done' ? MAX_MESSAGE_BYTES : MAX_UNAUTHENTICATED_MESSAGE_BYTES;
      if (length < 4 || length > limit) return this.reject(connection, 'bad message length');
      if (buffer.length < 1 + length) return;
      const type = buffer[0]!;
      const message = new Uint8Array(buffer.subarray(0, 1 + length));
      connection.buffer = buffer.subarray(1 + length);
      if (connection.auth !== 'done') {
        if (type === TERMINATE) {
          connection.socket.end();
          return;
        }
        if (!this.authenticate(connection, type, Buffer.from(message.subarray(5)))) return;
        continue;
      }
      if (type === TERMINATE) {
        connection.socket.end();
        return;
      }
      connection.pending.push(message);
      if (GROUP_END.has(type)) {
        this.enqueue({ connection, messages: connection.pending });
        connection.pending = [];
      }
    }
  }

  /** One step of the SASL exchange; false when the connection was refused. */
  private authenticate(connection: Connection, type: number, body: Buffer): boolean {
    const scram = connection.scram;
    if (type !== SASL_RESPONSE || !scram) return this.refuse(connection, 'expected a SASL response');
    if (connection.auth === 'sasl-initial') {
      const nameEnd = body.indexOf(0);
      if (nameEnd < 0 || body.toString('latin1', 0, nameEnd) !== SCRAM_MECHANISM || body.length < nameEnd + 5) {
        return this.refuse(connection, `only ${SCRAM_MECHANISM} is offered`);
      }
      const dataLength = body.readInt32BE(nameEnd + 1);
      const data = body.subarray(nameEnd + 5, nameEnd + 5 + Math.max(0, dataLength)).toString('utf8');
      const step = scram.first(data);
      if (!step.ok) return this.refuse(connection, step.reason);
      connection.auth = 'sasl-final';
      connection.socket.write(authMessage(AUTH_SASL_CONTINUE, Buffer.from(step.reply, 'utf8')));
      return true;
    }
    const step = scram.final(body.toString('utf8'));
    if (!step.ok) return this.refuse(connection, step.reason);
    connection.auth = 'done';
    connection.scram = undefined;
    clearTimeout(connection.authTimer);
    connection.socket.write(authMessage(AUTH_SASL_FINAL, Buffer.from(step.reply, 'utf8')));
    // PGlite answers the startup packet with AuthenticationOk, the parameters and ReadyForQuery.
    this.enqueue({ connection, messages: [connection.startupPacket!], startup: true });
    connection.startupPacket = undefined;
    return true;
  }

  /** Sends PostgreSQL's "password authentication failed" (28P01) and closes; the reason goes to the log only. */
  private refuse(connection: Connection, reason: string): false {
    log.warn({ connection: connection.id, reason }, 'embedded database refused a client');
    connection.closed = true;
    const fields = Buffer.from(
      'SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for the embedded database\0\0',
      'utf8',
    );
    const header = Buffer.alloc(5);
    header[0] = 'E'.charCodeAt(0);
    header.writeInt32BE(4 + fields.length, 1);
    connection.socket.end(Buffer.concat([header, fields]));
    return false;
  }

  private reject(connection: Connection, reason: string): void {
    log.warn({ connection: connection.id, reason }, 'closing a connection that does not speak PostgreSQL');
    connection.socket.destroy();
  }

  private enqueue(group: WorkGroup): void {
    this.queue.push(group);
    void this.drain();
  }

  /** Runs queued work one group at a time; inside a transaction only the owner's work may run. */
  private async drain(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (;;) {
        // Startups first (they touch no transaction state, and a client gives up connecting after a timeout),
        // then, inside a transaction, only the owner's work; otherwise first come, first served.
        const owner = this.owner;
        let index = this.queue.findIndex((g) => g.startup === true);
        if (index < 0) index = owner ? this.queue.findIndex((g) => g.connection === owner) : 0;
        if (index < 0 || this.queue.length === 0) return;
        const [group] = this.queue.splice(index, 1);
        if (!group || group.connection.closed) continue;
        await this.run(group);
      }
    } finally {
      this.processing = false;
    }
  }

  private async run(group: WorkGroup): Promise<void> {
    const { connection } = group;
    try {
      await this.db.runExclusive(async () => {
        for (const [i, message] of group.messages.entries()) {
          await this.db.execProtocolRawStream(message, {
            // Flushing to disk once per group, not per message: the group is the unit the client waits for.
            syncToFs: i === group.messages.length - 1,
            onRawData: (data: Uint8Array) => {
              if (!connection.closed && connection.socket.writable) connection.socket.write(data);
            },
          });
        }
      });
    } catch (error) {
      log.error({ connection: connection.id, err: (error as Error).message }, 'PGlite failed on a protocol message');
      connection.socket.destroy();
    }
    if (!group.startup) this.owner = this.db.isInTransaction() ? connection : undefined;
  }

  private async disconnect(connection: Connection): Promise<void> {
    connection.closed = true;
    clearTimeout(connection.authTimer);
    this.connections.delete(connection);
    if (this.owner === connection) {
      // A client that vanished inside a transaction must not leave the single session blocked.
      this.owner = undefined;
      // exec() takes PGlite's query lock itself (runExclusive around it would deadlock).
      await this.db.exec('ROLLBACK').catch(() => {});
      void this.drain();
    }
  }
}

/** An Authentication message ('R') with its request code and payload. */
function authMessage(code: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header[0] = 'R'.charCodeAt(0);
  header.writeInt32BE(8 + payload.length, 1);
  header.writeInt32BE(code, 5);
  return Buffer.concat([header, payload]);
}
