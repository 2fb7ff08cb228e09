import path from 'node:path';
import { checkBankFiles } from '../src/search/bank-check.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv, PROJECT_ROOT } from '../src/config.js';

/** What `npm run check-bank` with no file checks: the project's own question bank and dialogues. */
const DEFAULT_SETS = [path.join(PROJECT_ROOT, 'eval', 'questions.jsonl'), path.join(PROJECT_ROOT, 'eval', 'dialogues.jsonl')];

loadDotenv();
runMain(() => {
  const files = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_SETS;
  const problems = checkBankFiles(files, process.env.SEEDS_DIR ?? 'seeds');
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problems` : `all items valid (${files.map((f) => path.relative(process.cwd(), f)).join(', ')})`);
  if (problems.length) process.exitCode = 1;
  return Promise.resolve();
});
