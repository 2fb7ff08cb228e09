import { runMain } from '../src/cli/run.js';
import { loadDotenv } from '../src/config.js';
import { startCommand } from '../src/cli/start-command.js';

loadDotenv();
runMain(startCommand);
