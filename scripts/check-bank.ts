import { checkBankFiles } from '../src/search/bank-check.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';

loadDotenv();
runMain(() => {
  const problems = checkBankFiles(process.argv.slice(2), process.env.SEEDS_DIR ?? 'seeds');
  for (const p of problems) console.log(p);
  console.log(problems.length ? `${problems.length} problems` : 'all items valid');
  if (problems.length) process.exitCode = 1;
  return Promise.resolve();
});
