import { trainCommand } from '../src/cli/train-command.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';

loadDotenv();
runMain(() => trainCommand(process.argv.slice(2)));
