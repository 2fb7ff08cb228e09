import { evalCommand } from '../src/cli/eval-command.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';

loadDotenv();
runMain(() => evalCommand(process.argv.slice(2)));
