import { MESSAGE_LIMIT, visibleLength } from '../../answer/html.js';
import type { BotMessage, ChatState, Question } from './chats.js';

/** The bot's answer to one question, as attributed after the run. */
export interface Outcome {
  question: Question;
  parts: BotMessage[];
  duplicates: number;
}

/** Every question's outcome, and the bot messages that could belong to none. */
export interface Attribution {
  outcomes: Map<Question, Outcome>;
  unmatched: number;
  /** A few unmatched messages, for the report. */
  unmatchedSamples: string[];
}

/**
 * Attributes every bot message to one question, on the emulator's order of
 * messages (one counter numbers user and bot messages, so "sent before the next
 * question" is exact):
 *  • In a group, the first message of an answer replies to the question
 *    (reply_parameters), so it is matched by id; a second message replying to
 *    the same question is a duplicate.
 *  • In a private chat (the bot sends no reply_parameters there), a user has
 *    one question outstanding, so the first bot message after a question is its
 *    answer.
 *  • A further message after an answer's first (private, or a group message
 *    without reply_parameters) is legitimately part of the same answer only if
 *    the answer had to be split (see `continues`). Anything else (a resend, an
 *    error notice after an answer, a second answer) is a duplicate. A reply that
 *    could belong to no question is unmatched.
 * Users wait `--settle` ms of quiet before asking again, so a split answer's
 * parts are all in first; a part arriving later still is taken for the next
 * question's answer, which then shows a duplicate: an error of attribution is
 * reported, never hidden.
 */
export function attribute(chats: Iterable<ChatState>, sent: readonly Question[]): Attribution {
  const result: Attribution = { outcomes: new Map(), unmatched: 0, unmatchedSamples: [] };
  for (const q of sent) result.outcomes.set(q, { question: q, parts: [], duplicates: 0 });
  for (const chat of chats) attributeChat(chat, result);
  return result;
}

/** Attributes one chat's bot messages, in the order the emulator numbered them. */
function attributeChat(chat: ChatState, result: Attribution): void {
  const { outcomes } = result;
  const byId = new Map(chat.questions.map((q) => [q.id, q]));
  let lastAnswered: Outcome | undefined;
  for (const m of [...chat.replies].sort((a, b) => a.id - b.id)) {
    if (chat.group && m.replyTo !== undefined) {
      const q = byId.get(m.replyTo);
      const outcome = q && outcomes.get(q);
      if (!outcome) noteUnmatched(result, m);
      else if (outcome.parts.length > 0) outcome.duplicates += 1;
      else {
        outcome.parts.push(m);
        lastAnswered = outcome;
      }
      continue;
    }
    const before = chat.questions.filter((q) => q.id < m.id).at(-1);
    const latest = before && outcomes.get(before);
    if (!chat.group && latest && latest.parts.length === 0) {
      latest.parts.push(m);
      lastAnswered = latest;
    } else if (lastAnswered && lastAnswered.parts.length > 0 && (chat.group || lastAnswered === latest)) {
      if (continues(lastAnswered, m)) lastAnswered.parts.push(m);
      else lastAnswered.duplicates += 1;
    } else {
      noteUnmatched(result, m);
    }
  }
}

/**
 * Whether a message is the next part of a split answer: Telegram allows 4096
 * characters and the bot packs quotes greedily, so the previous part and this
 * one must not have fitted together in one message, and it must not repeat a
 * part already sent.
 */
function continues(outcome: Outcome, m: BotMessage): boolean {
  const previous = outcome.parts.at(-1)!;
  const tooLongTogether = visibleLength(previous.text) + 2 + visibleLength(m.text) > MESSAGE_LIMIT;
  return tooLongTogether && !outcome.parts.some((p) => p.text === m.text);
}

/** Counts a message no question can own, keeping the first few as examples. */
function noteUnmatched(result: Attribution, m: BotMessage): void {
  result.unmatched += 1;
  if (result.unmatchedSamples.length < 3) result.unmatchedSamples.push(`chat ${m.chatId} message ${m.id}: ${m.text.slice(0, 80).replace(/\n/gu, ' ')}`);
}
