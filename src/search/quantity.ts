/**
 * The quantity a question asks for, and whether a text states one.
 *
 * A near miss scores as high as a hit: `陇海铁路物流园规划占地多少亩？` finds
 * the passages about the 物流园, but none of them gives an area in 亩. A
 * question that asks `多少亩` is answered only by a text holding a number of
 * 亩, so when none of the best passages holds one the documents do not say.
 */

/** Measure words and units a `多少X` / `几X` question names, longest first so `平方公里` wins over `公里`. */
const UNITS = [
  '平方公里',
  '平方米',
  '千瓦',
  '公顷',
  '公里',
  '吨',
  '亩',
  '元',
  '岁',
  '人',
  '名',
  '个',
  '家',
  '项',
  '套',
  '辆',
  '幅',
  '集',
  '天',
  '座',
  '所',
  '条',
  '台',
  '户',
  '场',
  '届',
  '批',
  '倍',
  '张',
  '份',
  '件',
  '处',
  '米',
  '度',
  '部',
  '期',
  '起',
  '只',
  '头',
  '棵',
  '株',
] as const;

/** Everyday words for a unit: `多少钱` asks for 元, `多少块`, too. */
const UNIT_WORDS: ReadonlyArray<readonly [string, AskedQuantity]> = [
  ['钱', '元'],
  ['块', '元'],
  ['平米', '平方米'],
];

/** Words for a sum of money, before or after `多少` (`拨了多少创建资金`). */
const MONEY = '资金|资本|收入|支出|投资|预算|金额|补助|奖励|奖补|补贴|补偿|经费|费用';
/** Words for a sum asked of as a whole (`生产总值是多少`): only before `多少`. */
const MONEY_TOTAL = '总额|总值|产值|基金|贷款|债务|税';
/** A sum of money asked for right beside `多少`, within one clause: answered in 元. */
const MONEY_ASKED = new RegExp(`(?:${MONEY}|${MONEY_TOTAL})[^，,。？?]{0,4}(?:多少|几)|(?:多少|几)[^，,。？?]{0,4}(?:${MONEY})`, 'u');

/** Words asking by how much something changed. */
const CHANGE = /(?:增长|增速|增幅|下降|降低|提高|上升|减少|增加|变化)了?(?:多少|几)/u;

/** A quantity asked for: a unit, or `%` for a rate or share. */
export type AskedQuantity = (typeof UNITS)[number] | '%';

/**
 * The unit a (normalised, Simplified) Chinese question asks a number of, or
 * null when it asks none: not for `哪几` (a list), `第几` (an ordinal), `几年…一次`
 * (a frequency), yes/no questions (`能不能`, `是否`, `吗`), or years (`几年`
 * asks a span the documents write many ways).
 */
export function askedQuantity(question: string): AskedQuantity | null {
  if (/能不能|可不可以|是否|吗/u.test(question)) return null;
  const asked = question.replace(/哪几|第几|几年.{0,4}一次|多少次/gu, '').match(/(?:多少|几)[万亿千百]?([\u4e00-\u9fff]{0,4})/u);
  const word = asked?.[1] ?? '';
  // A unit named after 多少 is what is asked (`耕地占补平衡多少亩` is a number of 亩, not a share) — except 个, any count,
  // which waits for the rate check (`提高了几个百分点`).
  const named = UNITS.find((unit) => word.startsWith(unit)) ?? UNIT_WORDS.find(([everyday]) => word.startsWith(everyday))?.[1];
  if (named && named !== '个') return named;
  // A rate, or a share of something (`占收入的多少`, `比重`), is stated in per cent.
  if (/百分之|率.{0,8}(?:多少|几)|占(?![地用]).{0,8}(?:多少|几)|占比|比重|比例/u.test(question)) return '%';
  if (!asked) return null;
  if (named) return named;
  // No unit named: a sum of money asked for (`生产总值是多少`, `拨了多少创建资金`) is stated in 元; a change
  // (`增长多少`) may be a rate or an amount, so it names no unit.
  return MONEY_ASKED.test(question) && !CHANGE.test(question) ? '元' : null;
}

/** The ways documents write a unit: `几天` is answered by `5个工作日`, `多少人` by `46名`, `多少家企业` by `1014个`. */
const WRITTEN_AS: Partial<Record<AskedQuantity, string>> = {
  天: '天|日|工作日',
  人: '人|名|人次',
  名: '名|人',
  家: '家|个|户',
  公里: '公里|千米|km',
  平方米: '平方米|平米|㎡',
  平方公里: '平方公里|km²|km2',
  米: '米|m',
  吨: '吨|t',
  亩: '亩|公顷',
  元: '元|块',
};

const NUMBER = String.raw`(?:\d+(?:\.\d+)?|[一二三四五六七八九十百千两]+)\s*多?\s*[万亿千百]?\s*`;

/**
 * Whether a text states a number of the unit (`80万亩`, `46套`, `5.46%`,
 * `千分之五`). `个` is the general measure word: `几个岗位` is answered by `3人`,
 * so any number will do for it.
 */
export function statesQuantity(text: string, quantity: AskedQuantity): boolean {
  // A table row names its unit once, in its label (`人均预期寿命（岁）  76.13`, `比重（%）  26.13`).
  if (/\d/u.test(text) && unitLabel(quantity).test(text)) return true;
  if (quantity === '%') return /\d\s*[%％‰]|[十百千万]分之|个百分点|\d+\s*[/／]\s*\d+|[一二三四五六七八九]成/u.test(text);
  if (quantity === '个') return /\d|[一二三四五六七八九十百千两]+\s*[个名人家项套户座所条台处批届次种类]/u.test(text);
  return quantityPattern(quantity).test(text);
}

// Compiled once per unit: search checks every candidate passage of every question.
const patterns = new Map<AskedQuantity, RegExp>();
const labels = new Map<AskedQuantity, RegExp>();

/** A unit in brackets, as a table row's label gives it: `（%）`, `（万元）`, `(岁)`. */
function unitLabel(quantity: AskedQuantity): RegExp {
  let label = labels.get(quantity);
  if (!label) {
    const written = quantity === '%' ? '%|％|‰' : (WRITTEN_AS[quantity] ?? quantity);
    label = new RegExp(`[（(]\\s*[万亿千百]?(?:${written})\\s*[)）]`, 'u');
    labels.set(quantity, label);
  }
  return label;
}

function quantityPattern(quantity: AskedQuantity): RegExp {
  let pattern = patterns.get(quantity);
  if (!pattern) {
    pattern = new RegExp(`${NUMBER}(?:个)?(?:${WRITTEN_AS[quantity] ?? quantity})`, 'u');
    patterns.set(quantity, pattern);
  }
  return pattern;
}
