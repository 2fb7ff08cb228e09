import { benchCommand } from '../src/perf/bench/command.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';

loadDotenv();
runMain(() => benchCommand(process.argv.slice(2)));
