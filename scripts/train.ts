import { trainCommand } from '../src/cli/train-command.js';
import { runMain } from '../src/cli/run.js';

runMain(() => trainCommand(process.argv.slice(2)));
