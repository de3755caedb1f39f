import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { createLogger } from '@yuqing/core';

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

  constructor(private readonly db: PGlite) {}

  /** Listens on `host:port` (port 0 picks a free one); resolves with the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
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
      pending: [],
      closed: false,
    };
    this.connections.add(connection);
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.receive(connection, data));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => void this.disconnect(connection));
  }

  private receive(connection: Connection, data: Buffer): void {
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
        this.enqueue({ connection, messages: [new Uint8Array(buffer.subarray(0, length))], startup: true });
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (length < 4 || length > MAX_MESSAGE_BYTES) return this.reject(connection, 'bad message length');
      if (buffer.length < 1 + length) return;
      const type = buffer[0]!;
      const message = new Uint8Array(buffer.subarray(0, 1 + length));
      connection.buffer = buffer.subarray(1 + length);
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
