import { describe, expect, it } from 'vitest';
import { confirmation, confirmationLevel, flagOutcome, peopleActedOn, withLockedField } from './issue-decisions.ts';

const resolvedAt = new Date('2026-12-04T21:30:00+08:00');
const later = (minutes: number) => new Date(resolvedAt.getTime() + minutes * 60_000);

describe('analyst decisions', () => {
  it('locks each field once, in a stable order', () => {
    expect(withLockedField([], 'level')).toEqual(['level']);
    expect(withLockedField(['level'], 'title')).toEqual(['title', 'level']);
    expect(withLockedField(['title', 'level'], 'title')).toEqual(['title', 'level']);
  });

  it('confirms at the chosen level, else the suggested one, else 一般, always with a deadline', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    expect(confirmationLevel('none')).toBe('general');
    expect(confirmationLevel('major')).toBe('major');
    expect(confirmationLevel('major', 'severe')).toBe('severe');
    expect(confirmationLevel('none', 'none')).toBe('general');
    const plain = confirmation({ level: 'none', deadlineAt: null }, now);
    expect(plain).toEqual({ level: 'general', deadlineAt: new Date('2026-12-07T10:00:00Z'), lockLevel: false });
    // A running deadline stays when the suggested level is confirmed.
    const running = new Date('2026-12-05T08:00:00Z');
    expect(confirmation({ level: 'major', deadlineAt: running }, now, 'major')).toEqual({
      level: 'major',
      deadlineAt: running,
      lockLevel: false,
    });
    // Another level than the suggested one is the analyst's: locked, deadline from now.
    expect(confirmation({ level: 'general', deadlineAt: running }, now, 'severe')).toEqual({
      level: 'severe',
      deadlineAt: new Date('2026-12-05T10:00:00Z'),
      lockLevel: true,
    });
  });

  it('reopens a resolved issue only on a burst after its resolution', () => {
    const resolved = { status: 'resolved', level: 'general', lockedFields: [], resolvedAt } as const;
    expect(flagOutcome(resolved, { level: 'general', at: resolvedAt })).toEqual({
      action: 'ignore',
      why: 'resolved-before-burst',
    });
    expect(flagOutcome(resolved, { level: 'major', at: later(90) })).toEqual({ action: 'reopen', level: 'major' });
    // Resolved before resolution times were kept: never reopened silently.
    expect(flagOutcome({ ...resolved, resolvedAt: null }, { level: 'major', at: later(90) }).action).toBe('ignore');
    // A level set by hand stays on reopening (none becomes the default, so there is a deadline).
    expect(
      flagOutcome({ ...resolved, level: 'none', lockedFields: ['level'] }, { level: 'severe', at: later(90) }),
    ).toEqual({ action: 'reopen', level: 'general' });
  });

  it('never flags over a level set by hand or a merged issue, and flags the rest', () => {
    const open = { status: 'new', level: 'none', lockedFields: [], resolvedAt: null } as const;
    expect(flagOutcome(open, { level: 'general', at: later(0) })).toEqual({ action: 'flag', level: 'general' });
    expect(flagOutcome({ ...open, lockedFields: ['level'] }, { level: 'major', at: later(0) })).toEqual({
      action: 'ignore',
      why: 'level-locked',
    });
    expect(flagOutcome({ ...open, status: 'merged' }, { level: 'major', at: later(0) }).action).toBe('ignore');
  });
});

describe('peopleActedOn', () => {
  const untouched = {
    status: 'new' as const,
    level: 'none' as const,
    flaggedAt: null,
    lockedFields: [],
    assigneeId: null,
    rumourMarkedAt: null,
  };
  it('is false only for an issue nobody moved on, set, assigned, marked or was alerted to', () => {
    expect(peopleActedOn(untouched)).toBe(false);
    expect(peopleActedOn({ ...untouched, status: 'confirmed' })).toBe(true);
    expect(peopleActedOn({ ...untouched, status: 'dismissed' })).toBe(true);
    expect(peopleActedOn({ ...untouched, lockedFields: ['title'] })).toBe(true);
    expect(peopleActedOn({ ...untouched, level: 'general', flaggedAt: new Date() })).toBe(true);
    expect(peopleActedOn({ ...untouched, assigneeId: 3 })).toBe(true);
    expect(peopleActedOn({ ...untouched, rumourMarkedAt: new Date() })).toBe(true);
  });
});
