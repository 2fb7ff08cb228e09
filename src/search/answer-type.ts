/** What kind of answer a question asks for, judged from its question words. */
export type AnswerType = 'when' | 'frequency' | 'number' | 'why' | 'other';

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
  return 'other';
}

const SHAPES: Record<Exclude<AnswerType, 'other'>, RegExp> = {
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
  const rest = named.reduce((text, n) => text.split(n).join(' '), sentence);
  return SHAPES[type].test(rest);
}
