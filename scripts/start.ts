import { runMain } from '../src/cli/run.js';
import { startCommand } from '../src/cli/start-command.js';

runMain(startCommand);
