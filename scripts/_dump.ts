import { readSources } from '../src/ingest/read.js';
import { ingest } from '../src/ingest/ingest.js';
const r = ingest(readSources('/work/main/seeds'));
console.log(JSON.stringify(r.stats));
const titles = new Map<string, number>();
for (const p of r.passages) { const k = `${p.file.slice(0,3)} | ${p.title} | ${p.date} | ${p.issue}`; titles.set(k, (titles.get(k) ?? 0) + 1); }
for (const [k, v] of titles) console.log(v, k);
const lens = r.passages.map(p => p.text.length);
console.log('mean', lens.reduce((a,b)=>a+b,0)/lens.length, 'min', Math.min(...lens), 'max', Math.max(...lens));
console.log('short<40', lens.filter(l=>l<40).length, 'long>400', lens.filter(l=>l>400).length);
import fs from 'node:fs';
fs.writeFileSync('/tmp/passages.txt', r.passages.map(p => `#${p.id} ${p.file.slice(0,3)} L${p.lines[0]}-${p.lines[1]} [${p.kind}] ${p.title} ‖ ${p.section.join(' › ')}\n${p.header ? 'H: ' + p.header + '\n' : ''}${p.text}\n`).join('\n'));
