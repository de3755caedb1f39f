// Silver-standard events of ../shared/data/teddy2020/hot_messages.csv, shared by `pnpm bench cluster` and
// `pnpm bench bursts`. The file carries no cluster or issue id; these 15 events were written by reading it: an
// estate/company/case name AND the problem, both as regular expressions over title + text (e.g. 丽发新城 + 搅拌站
// noise/dust, 伊景园滨河苑 + 捆绑车位). The rules may miss a few true members, so figures built on them are bounds.

/** One event: its name, the entity pattern and the problem pattern (null: any problem). */
export type SilverEvent = readonly [name: string, entity: RegExp, problem: RegExp | null];

/** The 15 events, in the order they are tried (a message belongs to the first that matches). */
export const SILVER_EVENTS: readonly SilverEvent[] = [
  ['丽发新城 搅拌站', /丽发/, /搅拌|混凝土|砂石/],
  ['伊景园滨河苑 捆绑车位', /伊景园|滨河苑|滨河院|广铁/, /车位|捆绑|定向|限价|购房/],
  ['58车贷案', /58车[贷货]|展星投资/, null],
  ['魅力之城 商铺油烟噪音', /魅力之城/, /油烟|噪音|夜宵|商铺|门面|门店|烧烤|扰民/],
  ['经济学院 强制实习', /经济学院/, /实习|外出打工|去工厂|社会实践/],
  ['青青家园 住改商烟道', /青青家园|青山新村/, /住改商|烟道|油烟/],
  ['辉煌国际城 商铺饭店', /辉煌国际城/, /商铺|饭店|餐饮|烟道|场地证明/],
  ['泉星公园 规划优化', /泉星公园/, /优化/],
  ['中茂城 购房资金', /中茂城/, /购房资金|血汗钱/],
  ['诺亚山林 医院', /诺亚山林/, /医院|眼科/],
  ['圣力华苑 车位', /圣力华苑/, /车位/],
  ['圣力华苑 两证合一', /圣力华苑/, /两证/],
  ['五矿万境K9县', /五矿万境[Kk]9县/, null],
  ['万国城 麻将馆', /万国城/, /麻将/],
  ['地铁7号线南延', /7号线/, /南延|动物园/],
];

/** The entity must be in the title for these (their texts mention a neighbouring estate in passing). */
const TITLE_ONLY = new Set(['魅力之城 商铺油烟噪音']);

/** The silver event a message belongs to, or undefined. */
export function silverEventOf(message: { title?: string; text: string }): string | undefined {
  const all = `${message.title ?? ''}\n${message.text}`;
  for (const [name, entity, problem] of SILVER_EVENTS) {
    if (!entity.test(TITLE_ONLY.has(name) ? (message.title ?? '') : all) || (problem && !problem.test(all))) continue;
    return name;
  }
  return undefined;
}
