import { openSearcher } from '../src/search/open.js';
const s = await openSearcher();
for (const q of process.argv.slice(2)) {
  const r = await s.search(q, { k: 3 });
  console.log('Q', q, '| terms', r.query.terms.join(' '), '| years', r.query.years);
  for (const h of r.hits) console.log(`  ${h.rank} ${h.score.toFixed(3)} [${h.passage.title.slice(0,20)}] ${h.passage.text.slice(0, 90).replace(/\n/g,' ')}`);
}
