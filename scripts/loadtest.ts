import { loadtestCommand } from '../src/cli/loadtest-command.js';
import { runMain } from '../src/cli/run.js';

runMain(() => loadtestCommand(process.argv.slice(2)));
