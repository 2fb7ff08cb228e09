import * as OpenCC from 'opencc-js/cn2t';
import { UserError } from '../../errors.js';
import { readEvalSet } from '../../search/evaluate.js';

/**
 * Homophone slips a person makes typing with pinyin (correct word → typo), for
 * typo variants of the questions. One slip per question, the first that applies.
 */
const TYPOS: ReadonlyArray<readonly [string, string]> = [
  ['脱贫', '拖贫'],
  ['环境', '环竟'],
  ['机构', '机够'],
  ['湿地', '湿低'],
  ['氧吧', '氧巴'],
  ['国道', '国到'],
  ['灵宝', '灵包'],
  ['渑池', '免池'],
  ['摄影', '摄映'],
  ['金融', '金容'],
  ['厂房', '厂方'],
  ['物流', '物留'],
  ['保险', '保显'],
  ['投资', '投咨'],
  ['模范', '摸范'],
  ['别墅', '别树'],
  ['执照', '执找'],
  ['耕地', '耕低'],
  ['改造', '改照'],
  ['融资', '容资'],
  ['考核', '考和'],
  ['遗址', '遗止'],
  ['厕所', '侧所'],
  ['债务', '债物'],
  ['苹果', '平果'],
  ['就业', '就叶'],
  ['卢氏', '炉氏'],
  ['补贴', '补帖'],
];

/** The questions of a JSONL set, each followed by its Traditional and its typo variant where those differ. */
export function questionPool(file: string): string[] {
  // opencc-js's bundled types do not resolve under NodeNext; this is its documented signature.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
  const toTraditional: (text: string) => string = OpenCC.Converter({ from: 'cn', to: 'tw' });
  const pool: string[] = [];
  for (const { question } of readEvalSet(file)) {
    pool.push(question);
    const traditional = toTraditional(question);
    if (traditional !== question) pool.push(traditional);
    const slip = TYPOS.find(([word]) => question.includes(word));
    if (slip) pool.push(question.replace(slip[0], slip[1]));
  }
  if (pool.length === 0) throw new UserError(`${file} holds no questions.`);
  return pool;
}
