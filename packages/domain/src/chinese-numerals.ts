// People and officials write the same quantity three ways: 3年, ３年 and 三年 (缴满十五年, 15年; 两个月, 2个月).
// Matching text by characters treats them as different words, so the draft check folds them to one form first.
// Only numerals that count something are folded (followed by a measure word, or after 第): 一定, 统一, 万一 and
// 一些 are words, not numbers, and stay as they are.

const DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const NUMERAL_CHARS = '零〇一二两三四五六七八九十百千万';
/** What a counted quantity is followed by (time spans, people, money, times, grades, shares). */
const MEASURE_WORDS =
  '(?:个|年|月|日|天|周|星期|小时|分钟|岁|元|块|万|亿|次|项|条|名|人|户|位|倍|份|档|级|类|批|号|成|%|％|工作日)';
/**
 * A numeral run that counts something: after 第 (第十五条), or before a measure word (三年, 两个月, 十五万元). The run
 * may not start with 万 (万一), and a lone 一 before 个 / 年 / 次 / 名 … is a count too (一次 = 1次).
 */
const COUNTED_NUMERAL = new RegExp(
  `(?<=第)[${NUMERAL_CHARS}]+|(?<![${NUMERAL_CHARS}])[零〇一二两三四五六七八九十百千][${NUMERAL_CHARS}]*(?=${MEASURE_WORDS})`,
  'gu',
);

/**
 * The value of a Chinese numeral run (十五 → 15, 二十 → 20, 一百零五 → 105, 三千 → 3000, 十五万 → 150000,
 * 二〇二六 → 2026), or null when the run is not a well-formed numeral.
 */
export function chineseNumeralValue(run: string): number | null {
  if (run.length === 0) return null;
  const chars = Array.from(run);
  // Digit by digit (二〇二六, 一九九九): every character a digit and no unit.
  if (chars.length > 1 && chars.every((c) => c in DIGITS)) return Number(chars.map((c) => DIGITS[c]).join(''));
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of chars) {
    if (c in DIGITS) {
      // 零 only holds a place (一百零五): it adds nothing; two digits in a row without a unit are not a numeral here.
      if (DIGITS[c] === 0) continue;
      if (digit !== null) return null;
      digit = DIGITS[c]!;
    } else if (c in UNITS) {
      section += (digit ?? 1) * UNITS[c]!;
      digit = null;
    } else if (c === '万') {
      total += (section + (digit ?? 0)) * 10_000;
      section = 0;
      digit = null;
    } else return null;
  }
  return total + section + (digit ?? 0);
}

/**
 * Folds the ways of writing a number to one: NFKC width folding (３ → 3, ％ → %), then counted Chinese numerals to
 * Arabic digits (缴满三年 → 缴满3年, 两个月 → 2个月, 第十五条 → 第15条). Words that merely contain a numeral
 * character (一定, 统一, 万一, 一些) are kept.
 */
export function normaliseNumerals(text: string): string {
  return text.normalize('NFKC').replace(COUNTED_NUMERAL, (run) => {
    const value = chineseNumeralValue(run);
    return value === null ? run : String(value);
  });
}
