/** What kind of answer a question asks for, judged from its question words. */
export type AnswerType = 'when' | 'frequency' | 'number' | 'why' | 'done' | 'other';

/**
 * The expected answer type. A sentence holding that kind of thing (a date, a
 * number, a purpose clause) is more likely the answer than one that merely
 * shares the question's words.
 */
export function answerType(question: string): AnswerType {
  if (/多久.*[一1][次回趟]|多长时间.*[一1][次回]|频率|隔多久|how often/iu.test(question)) return 'frequency';
  if (/什么时候|哪年|哪一年|哪天|哪一天|几号|几月|何时|啥时候|什么时间|哪个月|when|what year|which year|what date/iu.test(question)) return 'when';
  if (/为什么|为何|为啥|目的|why/iu.test(question)) return 'why';
  if (/多少|几[个届年次家项户人天万亿名所种批条连]|多长|多大|多宽|多高|多久|比重|百分之|how many|how much|how long|what percentage|rate/iu.test(question))
    return 'number';
  if (ASKS_DONE.test(question)) return 'done';
  return 'other';
}

/** A yes/no question whether something has happened (`卢氏县脱贫了吗`, `建好了没`, `是否已经开工`): its answer says it is done. */
const ASKS_DONE = /了(?:[吗嗎么麼嘛]|[没沒]有?)|是否已|有[没沒]有(?:完成|建成|实现|開工|开工|通车|通車)|已[经經].*[吗嗎么麼][？?]?$/u;

/** Words that say a thing is done: `顺利脱贫摘帽`, `已建成`, `实现…`. */
const DONE = /已|顺利|实现|完成|建成|竣工|投用|投入使用|通车|获批|入选|荣获|成功|退出|摘帽/u;

/** Words that say it is only planned: `确保今年…脱贫摘帽` settles nothing yet. */
const PLANNED = /确保|力争|争取|计划|预计|将|要|拟|目标|推动|加快|努力|力求|到20\d\d年/u;

const SHAPES: Record<Exclude<AnswerType, 'other' | 'done'>, RegExp> = {
  frequency: /每[年季月周天日]|[一二三四五六七八九十两半\d]+个?[年季月周天日]\S{0,6}[一1]次|定期|不定期/u,
  // An event named by its date (`“7·19”义马气化厂事故`) is dated too.
  when: /\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|[一二三四五六七八九十]+月|年底|年初|季度|\d{4}\.\d{1,2}|(?<!\d)(?:1[0-2]|0?[1-9])[·・•](?:[12]\d|3[01]|0?[1-9])(?!\d)/u,
  number: /\d|[一二三四五六七八九十百千万两]+[个届年次家项户人天万亿名所种批条连倍%]/u,
  why: /为了|为进一步|为加强|为推动|为切实|为深入|为全面|为有效|目的|旨在|是为|以便|以确保/u,
};

/**
 * Whether a (normalised) sentence holds the kind of thing the question asks
 * for. Numbers the question itself names (`国道310`, its year) are not an
 * answer: they are taken out before looking.
 */
export function hasAnswerShape(sentence: string, type: AnswerType, named: readonly string[] = []): boolean {
  if (type === 'other') return false;
  if (type === 'done') return DONE.test(sentence) && !PLANNED.test(sentence);
  const rest = named.reduce((text, n) => text.split(n).join(' '), sentence);
  return SHAPES[type].test(rest);
}
