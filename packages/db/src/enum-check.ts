// The domain rules name issue levels and states as plain string unions (packages/domain cannot import this
// package); the database enums must stay the same sets. A mismatch fails `pnpm typecheck` here.
import type {
  IssueLevel as DomainIssueLevel,
  IssueStatus as DomainIssueStatus,
  ResponseStatus as DomainResponseStatus,
} from '@yuqing/domain';
import type { IssueLevel, IssueStatus, ResponseStatus } from './generated/prisma/enums.ts';

/** `true` when A and B are the same union, `never` otherwise. */
type SameUnion<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;

/** Compiles only while the domain's unions and the Prisma enums agree. */
export const DOMAIN_ENUMS_AGREE: SameUnion<IssueLevel, DomainIssueLevel> &
  SameUnion<IssueStatus, DomainIssueStatus> &
  SameUnion<ResponseStatus, DomainResponseStatus> = true;
