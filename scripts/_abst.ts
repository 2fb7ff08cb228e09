import path from 'node:path';
import { readEvalSet, firstHitRank } from '../src/search/evaluate.js';
import { openSearcher } from '../src/search/open.js';
const items = readEvalSet(path.resolve('../shared/eval/dev.jsonl'));
const s = await openSearcher();
const extra = process.argv.slice(2).map((q) => ({ id: 'x', type: 'extra', question: q, evidence: [] as string[] }));
for (const it of [...items, ...extra]) {
  const r = await s.search(it.question, { k: 10, mode: 'hybrid' });
  const v = await s.embedder.embedQuery(r.query.text);
  const top = r.hits[0] ?? null;
  let cos = 0;
  if (top) { const w = s.index.vectors[top.index]!; for (let i = 0; i < 512; i++) cos += v[i]! * w[i]!; }
  console.log(it.id, it.type.slice(0, 8).padEnd(8), 'rank', String(firstHitRank(r, it.evidence) ?? '-').padEnd(2), 'reason', String(r.abstainReason).padEnd(15), 'cos', cos.toFixed(3), it.question.slice(0, 30));
}
