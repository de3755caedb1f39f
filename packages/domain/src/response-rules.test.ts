import { describe, expect, it } from 'vitest';
import { YuqingError } from '@yuqing/core';
import {
  allowedResponseActions,
  assertCanChangeMaterial,
  assertCanDecide,
  assertCanPublish,
  assertCanRevise,
  assertCanSubmit,
  RESPONSE_STATUSES,
  responseStart,
  type ResponseStatus,
} from './response-rules.ts';

/** The states in which `rule` lets a response through. */
function allowed(rule: (r: { id: number; status: ResponseStatus }) => void): ResponseStatus[] {
  return RESPONSE_STATUSES.filter((status) => {
    try {
      rule({ id: 3, status });
      return true;
    } catch (error) {
      if (!(error instanceof YuqingError) || error.code !== 'CONFLICT' || error.retryable) throw error;
      return false;
    }
  });
}

describe('response workflow', () => {
  it('allows each step only from its states', () => {
    expect(allowed(assertCanRevise)).toEqual(['draft', 'returned', 'approved']);
    expect(allowed(assertCanSubmit)).toEqual(['draft', 'returned']);
    expect(allowed((r) => assertCanDecide(r, 'approved'))).toEqual(['submitted']);
    expect(allowed(assertCanPublish)).toEqual(['approved']);
    expect(allowed(assertCanChangeMaterial)).toEqual(['draft', 'returned']);
  });

  it('offers each state only its actions, as the assertions enforce them', () => {
    expect(Object.fromEntries(RESPONSE_STATUSES.map((s) => [s, allowedResponseActions({ status: s })]))).toEqual({
      draft: ['revise', 'submit', 'addMaterial', 'removeMaterial'],
      submitted: ['approve', 'return'],
      returned: ['revise', 'submit', 'addMaterial', 'removeMaterial'],
      approved: ['revise', 'publish'],
      published: [],
    });
    const offered = (action: string) =>
      RESPONSE_STATUSES.filter((s) => (allowedResponseActions({ status: s }) as string[]).includes(action));
    expect(allowed(assertCanSubmit)).toEqual(offered('submit'));
    expect(allowed((r) => assertCanDecide(r, 'returned'))).toEqual(offered('return'));
    expect(allowed(assertCanPublish)).toEqual(offered('publish'));
    expect(allowed(assertCanRevise)).toEqual(offered('revise'));
    expect(allowed(assertCanChangeMaterial)).toEqual(offered('removeMaterial'));
  });

  it('keeps the messages the API reports', () => {
    expect(() => assertCanSubmit({ id: 3, status: 'approved' })).toThrow(
      'response 3 is approved; expected draft or returned',
    );
    expect(() => assertCanDecide({ id: 3, status: 'draft' }, 'returned')).toThrow(
      'response 3 is draft; only submitted responses can be returned',
    );
    expect(() => assertCanRevise({ id: 3, status: 'published' })).toThrow(
      'response 3 is published; only draft, returned, approved responses can be revised',
    );
    expect(() => assertCanPublish({ id: 3, status: 'submitted' })).toThrow(
      'response 3 is submitted; only approved responses can be published',
    );
    expect(() => assertCanChangeMaterial({ id: 3, status: 'submitted' })).toThrow(
      'response 3 is submitted; material can change only while it is a draft or returned',
    );
    expect(() => assertCanChangeMaterial({ id: 3, status: 'approved' })).toThrow(
      'response 3 is approved; save a new version (it needs a new approval) to change its material',
    );
  });

  it('starts a response to an open issue with the issue deadline, or one from its level, and moves the issue to responding', () => {
    const now = new Date('2026-11-27T08:00:00Z');
    const set = new Date('2026-11-28T00:00:00Z');
    expect(responseStart({ id: 1, status: 'confirmed', level: 'major', deadlineAt: set }, now)).toEqual({
      deadlineAt: set,
      issueResponding: true,
    });
    expect(responseStart({ id: 1, status: 'new', level: 'severe', deadlineAt: null }, now)).toEqual({
      deadlineAt: new Date('2026-11-28T08:00:00Z'),
      issueResponding: true,
    });
    // A resolved issue is closed: it reopens only by rule (a new burst), not by starting a response.
    expect(() => responseStart({ id: 1, status: 'resolved', level: 'none', deadlineAt: null }, now)).toThrow(
      'issue 1 is resolved; it takes no new response',
    );
    expect(() => responseStart({ id: 1, status: 'dismissed', level: 'general', deadlineAt: null }, now)).toThrow(
      'issue 1 is dismissed; reopen it before responding',
    );
    expect(() => responseStart({ id: 1, status: 'merged', level: 'general', deadlineAt: null }, now)).toThrow(
      'issue 1 is merged; reopen it before responding',
    );
  });
});
