import path from 'node:path';
import { readEvalSet, score } from '../src/search/evaluate.js';
import { openSearcher } from '../src/search/open.js';
import { DEFAULT_TUNING, Searcher } from '../src/search/searcher.js';
const items = readEvalSet(path.resolve('../shared/eval/dev.jsonl'));
const base = await openSearcher();
const grid = JSON.parse(process.argv[2] ?? '[{}]') as Array<Record<string, number>>;
for (const g of grid) {
  const s = new Searcher(base.index, base.embedder, base.helpers, { ...DEFAULT_TUNING, ...g });
  const rs = [];
  for (const it of items) rs.push(await s.search(it.question, { k: 10 }));
  const sc = score('hybrid', items, rs);
  console.log(JSON.stringify(g), 'R1', sc.recallAt[1].toFixed(3), 'R3', sc.recallAt[3].toFixed(3), 'R5', sc.recallAt[5].toFixed(3), 'MRR', sc.mrr10.toFixed(3), 'miss', sc.misses.map(m => `${m.id}:${m.rank ?? '-'}`).join(' '));
}
