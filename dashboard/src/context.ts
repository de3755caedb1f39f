import type { AppConfig, Clock, Logger } from '@yuqing/core';
import type { AuditActor, Db, PublicUser, Role } from '@yuqing/db';
import type { JobQueues } from '@yuqing/queue';
import type { Request, Response } from 'express';

/** What every route of the dashboard may use. */
export interface DashboardContext {
  db: Db;
  dbKind: 'postgresql' | 'embedded';
  queues: JobQueues;
  config: AppConfig;
  clock: Clock;
  log: Logger;
  /** `<dataDir>/uploads`. */
  uploadsDir: string;
}

/** The logged-in user's session as middleware attaches it to `res.locals.session`. */
export interface SessionState {
  /** Database key (hash of the cookie value). */
  id: string;
  csrfToken: string;
  user: PublicUser;
}

/** The session of this request, if logged in. */
export function sessionOf(res: Response): SessionState | undefined {
  return res.locals.session as SessionState | undefined;
}

/** Client address for the audit log (Express honours `trust proxy` when set by the deployer). */
export function clientIp(req: Request): string | null {
  return req.ip ?? req.socket.remoteAddress ?? null;
}

/** The audit actor of this request. */
export function actorOf(req: Request, res: Response): AuditActor {
  return { actorId: sessionOf(res)?.user.id ?? null, ip: clientIp(req) };
}

export type { Role };
