import { indexCommand } from '../src/cli/index-command.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';

loadDotenv();
runMain(() => indexCommand(process.argv.slice(2)));
