/**
 * A small table of the domain's synonyms and abbreviations. Citizens say "GDP",
 * documents say "生产总值"; citizens say "补贴", documents say "补助" or "奖补".
 * Each entry maps a word a user may type to words the documents use; both are
 * searched. Keep entries general to city-government language, never tuned to
 * one question.
 */
export const SYNONYMS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['gdp', ['生产总值', '地区生产总值']],
  ['可行性研究', ['工可', '可研']],
  ['可研', ['可行性研究', '工可']],
  ['半年', ['年中', '上半年']],
  ['生产总值', ['gdp']],
  ['补贴', ['补助', '奖补', '奖励', '资金']],
  ['补助', ['补贴', '奖补']],
  ['奖励', ['奖补', '奖金', '表彰']],
  ['执照', ['营业执照', '一照多址']],
  ['营业执照', ['执照']],
  ['养老院', ['养老机构']],
  ['敬老院', ['养老机构']],
  ['厕所', ['改厕', '户厕']],
  ['扶贫', ['脱贫', '贫困']],
  ['脱贫', ['扶贫', '贫困', '摘帽']],
  ['穷', ['贫困']],
  ['钱', ['资金', '奖金', '万元']],
  ['工资', ['收入', '薪酬']],
  ['上市', ['上市融资', '挂牌']],
  ['开会', ['召开', '会议']],
  ['开一回会', ['召开', '会议']],
  ['一回', ['一次']],
  ['建的', ['成立', '建立']],
  ['办的', ['举办', '举行']],
  ['看病', ['医疗', '就医']],
  ['医院', ['医疗机构']],
  ['房子', ['住房', '房屋']],
  ['高速', ['高速公路']],
  ['污染', ['环境污染', '治污']],
  ['空气', ['大气', '空气质量']],
  ['老百姓', ['群众', '居民']],
  ['农民', ['农村居民']],
  ['城里人', ['城镇居民']],
  ['疫情', ['新冠', '疫情防控']],
  ['网上办', ['一网通办', '网上办理']],
  ['办事', ['政务服务', '办理']],
];

/** Number-first road names are written number-last in the documents: 310国道 → 国道310. */
export function canonicalRoads(text: string): string {
  return text.replace(/(\d{2,3})\s*国道/gu, '国道$1').replace(/(\d{2,3})\s*省道/gu, '省道$1');
}

const TABLE = new Map(SYNONYMS.map(([word, others]) => [word, others]));

/**
 * The documents' words for what a normalised query says. Matched as substrings,
 * not jieba terms, because jieba cuts colloquial phrases (`建的`) differently
 * from the documents' wording.
 */
export function expandSynonyms(normalizedQuery: string): string[] {
  const added = new Set<string>();
  for (const [word, others] of TABLE) {
    if (!normalizedQuery.includes(word)) continue;
    for (const other of others) if (!normalizedQuery.includes(other)) added.add(other);
  }
  return [...added];
}
