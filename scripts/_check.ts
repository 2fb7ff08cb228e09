import fs from 'node:fs';
import { readSources } from '../src/ingest/read.js';
import { ingest } from '../src/ingest/ingest.js';
import { compact } from '../src/ingest/normalize.js';
const files = readSources('seeds');
const r = ingest(files);
const byName = new Map(files.map(f => [f.name, f]));
let bad = 0;
for (const p of r.passages) {
  const f = byName.get(p.file)!;
  const src = compact(f.lines.slice(p.lines[0] - 1, p.lines[1]).join(''));
  if (!src.includes(compact(p.text))) { bad++; if (bad < 5) console.log('NOT CONTAINED', p.id, p.lines, p.text.slice(0, 80)); }
}
console.log('containment failures', bad);
const dev = fs.readFileSync('../shared/eval/dev.jsonl', 'utf8').trim().split('\n').map(l => JSON.parse(l));
for (const d of dev) for (const e of d.evidence as string[]) {
  const hit = r.passages.find(p => compact(p.text).includes(compact(e)));
  if (!hit) console.log('EVIDENCE NOT IN ANY PASSAGE', d.id, e);
}
for (const p of r.passages.filter(p => p.text.length < 40)) console.log('SHORT', p.file.slice(0,3), p.lines, p.section.at(-1), '|', p.text.replace(/\n/g,'⏎'));
for (const p of r.passages.filter(p => p.text.length > 400)) console.log('LONG', p.file.slice(0,3), p.lines, p.text.length);
