import { COMMON_PASSWORDS } from './common-passwords.ts';

/** Shortest password accepted anywhere (admin-set, self-service, `yq user`). */
export const MIN_PASSWORD_CHARS = 10;
/** Longest password accepted (scrypt hashes any length; this only bounds request bodies). */
export const MAX_PASSWORD_CHARS = 256;
/** Shortest username that is looked for inside a password (a two-letter name occurs by chance). */
const MIN_USERNAME_CHARS_CHECKED = 3;

const COMMON = new Set(COMMON_PASSWORDS);

/**
 * Character runs people type instead of a password: digits, the alphabet and keyboard rows (both directions). A
 * password that is only a piece of one of these (possibly wrapping round: `7890123456`) is refused.
 */
const RUNS = [
  '01234567890123456789',
  'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz',
  'qwertyuiopqwertyuiop',
  'asdfghjklasdfghjkl',
  'zxcvbnmzxcvbnm',
  '1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p',
  '1q2w3e4r5t6y7u8i9o0p',
];

/** Why a password is refused: a code for programs and a zh-CN message for people. */
export interface PasswordProblem {
  code: 'TOO_SHORT' | 'TOO_LONG' | 'CONTAINS_USERNAME' | 'COMMON' | 'SEQUENCE' | 'REPEATED';
  message: string;
}

function normalised(value: string): string {
  return value.normalize('NFKC').toLowerCase();
}

function isRunPiece(p: string): boolean {
  return RUNS.some((run) => run.includes(p) || [...run].reverse().join('').includes(p));
}

/** A password made of one short unit repeated (`aaaaaaaaaa`, `abcabcabcabc`, `12121212121`). */
function isRepetition(p: string): boolean {
  for (let unit = 1; unit <= 3 && unit < p.length; unit++) {
    const piece = p.slice(0, unit);
    if (piece.repeat(Math.ceil(p.length / unit)).slice(0, p.length) === p) return true;
  }
  return false;
}

/** The password without leading/trailing digits and punctuation (`Password2026!` → `password`). */
function core(p: string): string {
  return p.replace(/^[\p{N}\p{P}\p{S}\s]+/u, '').replace(/[\p{N}\p{P}\p{S}\s]+$/u, '');
}

/**
 * Checks a new password against the policy: at least {@link MIN_PASSWORD_CHARS} characters, not containing the
 * username, not a common password (or one with digits and symbols tacked on), not a run of keys or digits, not one
 * short piece repeated. Length counts characters, so a Chinese passphrase counts what the user typed.
 * @returns the problems; empty when the password is acceptable.
 */
export function checkPasswordPolicy(password: string, context: { username?: string } = {}): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password.normalize('NFKC')].length;
  if (length < MIN_PASSWORD_CHARS)
    problems.push({ code: 'TOO_SHORT', message: `密码至少 ${MIN_PASSWORD_CHARS} 个字符` });
  if (length > MAX_PASSWORD_CHARS)
    problems.push({ code: 'TOO_LONG', message: `密码最多 ${MAX_PASSWORD_CHARS} 个字符` });
  const p = normalised(password);
  const username = context.username ? normalised(context.username.trim()) : '';
  if (username.length >= MIN_USERNAME_CHARS_CHECKED && p.includes(username))
    problems.push({ code: 'CONTAINS_USERNAME', message: '密码不能包含用户名' });
  const stripped = core(p);
  if (COMMON.has(p) || COMMON.has(p.replace(/\s+/g, '')) || (stripped.length >= 4 && COMMON.has(stripped)))
    problems.push({ code: 'COMMON', message: '密码过于常见，请换一个不易猜到的密码' });
  else if (isRunPiece(p) || (stripped.length >= 4 && isRunPiece(stripped) && stripped.length >= p.length / 2))
    problems.push({ code: 'SEQUENCE', message: '密码不能是连续的数字、字母或键盘序列' });
  else if (isRepetition(p)) problems.push({ code: 'REPEATED', message: '密码不能由重复的字符组成' });
  return problems;
}
