import type { Role } from '@yuqing/db';

/** Every role. */
export const ALL_ROLES: readonly Role[] = ['analyst', 'spokesperson', 'leader', 'admin'];

/**
 * Who may do what. API routes and pages both take their role lists from here so the UI and the API never
 * disagree.
 */
export const ROLES = {
  /** Read mentions, issues, responses, overview. */
  read: ALL_ROLES,
  /** Triage: confirm, dismiss, merge, split, assign, correct labels. */
  triage: ['analyst', 'admin'],
  /** Set an issue's level (and so its deadline). Leaders may raise or lower it too. */
  setLevel: ['analyst', 'leader', 'admin'],
  /** Draft, revise, submit responses; attach interpretation material. */
  draft: ['spokesperson', 'admin'],
  /** Approve or return a submitted response (not the admin: approval is the leader's call). */
  approve: ['leader'],
  /** Record publication of an approved response. */
  publish: ['spokesperson', 'leader', 'admin'],
  /** Manage sources and monitoring schemes, run test crawls. */
  sources: ['analyst', 'admin'],
  /** User administration, Bull Board, re-sending failed digest e-mails. */
  admin: ['admin'],
  /** Audit log. */
  audit: ['leader', 'admin'],
  /** Own digest subscription, the 舆情日报 download and own sent digests (admins see all and may resend, by `admin`). */
  digest: ALL_ROLES,
  /** Periodic reports (周报/月报/季报/年报) and 专报: generate, download, e-mail. */
  reports: ['analyst', 'leader', 'admin'],
  /** Pre-release risk assessment of draft policies (政策风险评估): upload, clause table, report. */
  policy: ['spokesperson', 'leader', 'admin'],
  /** Mark an issue as a rumour (辟谣) or clear the mark: an analyst's or spokesperson's call. */
  rumour: ['analyst', 'spokesperson', 'admin'],
} as const satisfies Record<string, readonly Role[]>;
