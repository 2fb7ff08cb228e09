import { askCommand } from '../src/cli/ask-command.js';
import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';

loadDotenv();
runMain(() => askCommand(process.argv.slice(2)));
