import path from 'node:path';
import { parseFlags } from '../../cli/args.js';
import { PROJECT_ROOT } from '../../config.js';
import { UserError } from '../../errors.js';

/** `npm run loadtest -- --help`. */
export const USAGE = `Usage: npm run loadtest -- [--users N] [--questions N] [--timeout SECONDS]
                        [--group-users N] [--settle MS] [--polling long|raw] [--set FILE]

  --users N        simulated users (default 50)
  --questions N    questions each user asks, one after another (default 20)
  --timeout S      limit on the traffic phase in seconds (default 300); what is
                   unanswered by then is reported lost
  --group-users N  how many of the users ask in group chats with /ask (default: a fifth)
  --settle MS      quiet time after an answer's first message before the next
                   question, so every part of a split answer is in (default 500)
  --polling MODE   raw: the bot polls the emulator as is (default); long: the
                   emulator's getUpdates is held like Telegram's long polling
  --set FILE       questions, JSONL like dev.jsonl (default ../shared/eval/dev.jsonl)

Runs the real bot (real index and model, the bot settings of the environment)
against the Bot API emulator on 127.0.0.1. Users ask without pausing, so with
--questions above the bot's per-user limit (RATE_LIMIT_PER_MINUTE, 20) raise that
limit too, or the bot's "slow down" and silence show up as lost answers.
Exits 1 if any answer is lost, duplicated or unattributable, or the timeout
cut the run short.`;

/** The parsed flags of `npm run loadtest`. */
export interface LoadtestOptions {
  users: number;
  questions: number;
  timeoutS: number;
  groupUsers: number;
  settleMs: number;
  polling: 'long' | 'raw';
  set: string;
}

/** A whole-number flag within bounds, or its default when not given. */
function whole(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${flag} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

/** Parses the load test's flags; undefined for --help. */
export function parseLoadtestArgs(argv: readonly string[]): LoadtestOptions | undefined {
  const { values } = parseFlags(
    argv,
    {
      users: { type: 'string' },
      questions: { type: 'string' },
      timeout: { type: 'string' },
      'group-users': { type: 'string' },
      settle: { type: 'string' },
      polling: { type: 'string' },
      set: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (values.help) return undefined;
  const users = whole('users', values.users, 50, 1, 1000);
  const polling = values.polling ?? 'raw';
  if (polling !== 'long' && polling !== 'raw') throw new UserError(`--polling must be long or raw, not "${polling}".`);
  return {
    users,
    questions: whole('questions', values.questions, 20, 1, 10_000),
    timeoutS: whole('timeout', values.timeout, 300, 1, 86_400),
    groupUsers: whole('group-users', values['group-users'], Math.round(users / 5), 0, users),
    settleMs: whole('settle', values.settle, 500, 0, 60_000),
    polling,
    set: values.set ? path.resolve(values.set) : path.join(PROJECT_ROOT, '..', 'shared', 'eval', 'dev.jsonl'),
  };
}
