import { loadtestCommand } from '../src/perf/loadtest/command.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';

loadDotenv();
runMain(() => loadtestCommand(process.argv.slice(2)));
