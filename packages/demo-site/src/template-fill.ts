// Turning templates into text: `[a|b]` alternatives and `{slot}` values drawn per item, plus the invented names of
// the people who post.
import { CITY, NUMBER_SLOTS, SLOT_LISTS } from './content/city.ts';
import { FORUM_NICK_PARTS } from './content/forum-and-bylines.ts';
import type { Random } from './prng.ts';
import { localTime } from './time-format.ts';

/** Slot name → value for one item, so a title and its body name the same district, company and amounts. */
export type Vars = Record<string, string>;

/** Fills `[a|b]` alternatives, then `{slot}` values; a slot without a value is a template bug and throws. */
export function fillTemplate(template: string, vars: Vars, random: Random): string {
  return template
    .replace(/\[([^\]]+)\]/g, (_match, alternatives: string) => random.pick(alternatives.split('|')))
    .replace(/\{(\w+)\}/g, (_match, name: string) => {
      const value = vars[name];
      if (value === undefined) throw new Error(`demo template slot {${name}} has no value`);
      return value;
    });
}

/** Draws every slot once for an item published at `at` (the year and incident month follow that date). */
export function makeVars(random: Random, at: Date): Vars {
  const vars: Vars = { city: CITY };
  for (const [name, list] of Object.entries(SLOT_LISTS)) vars[name] = random.pick(list);
  for (const [name, [min, max]] of Object.entries(NUMBER_SLOTS)) vars[name] = String(random.int(min, max));
  const local = localTime(at);
  vars.year = String(local.year);
  // "Last month or so": the month an incident happened, before the month of posting.
  vars.month = String(((local.month - 1 - random.int(1, 3) + 12) % 12) + 1);
  return vars;
}

/** A board user as the site shows them: masked, like real government message boards do. */
export function maskedUser(random: Random): string {
  const letters = 'abcdefghjkmnpqrstuvwxyz23456789';
  return `网友${random.pick([...letters])}${random.pick([...letters])}***`;
}

/** A forum nickname combined from parts. */
export function forumNick(random: Random): string {
  return `${random.pick(FORUM_NICK_PARTS.first)}${random.pick(FORUM_NICK_PARTS.second)}${random.pick(FORUM_NICK_PARTS.suffix)}`;
}
