import { composeAnswer, type Answer } from '../answer/compose.js';
import { isHomePlace } from '../search/abstain.js';
import { writtenWithUnit } from '../search/places.js';
import { issuedBy, understand, type Topic, type Understanding } from '../search/followup.js';
import { normalized, type SearchContext } from '../search/features.js';
import type { SearchResponse, Searcher } from '../search/searcher.js';

/** One message answered in its chat. */
export interface Turn {
  understanding: Understanding;
  /** The question as searched: the message, or its rewritten form. */
  understood: string | null;
  /** The search (for `more`, the previous question's, with `from` set to what was already shown). */
  response: SearchResponse | null;
  /** Passages already shown for this question (non-zero only for `more`). */
  from: number;
  /** What to reply with (the next passages for `more`); null with no response. */
  answer: Answer | null;
  /** The chat's topic after this turn, counting what this answer shows (null: it has none). */
  topic: Topic | null;
}

/** Whether every word is in some passage of the document with that title, or of the plan it issues (none: false). */
function inDocument(searcher: Searcher, title: string | null, words: readonly string[]): boolean {
  if (!title || words.length === 0) return false;
  const titles = [title, issuedBy(title)];
  const texts = searcher.index
    .documents()
    .filter((doc) => titles.includes(doc.title))
    .flatMap((doc) => doc.passages.map((p) => normalized(p).about));
  return words.every((word) => texts.some((text) => text.includes(word)));
}

/** `重新开始` and the like: a fresh start, as `/new` is. */
export const RESTART = /^(重新开始|重来|换个话题|new topic|start over)[\s。.!！]*$/iu;

/**
 * Answers a message against its chat's topic: understands it as a complete
 * question, a follow-up to rewrite, or a request for more, searches, and
 * returns the new topic. The same for the bot, the terminal and the eval.
 */
export async function answerTurn(searcher: Searcher, message: string, previous: Topic | null, k = 10): Promise<Turn> {
  const understanding = understand(message, previous, {
    inTopicDocument: (words) => inDocument(searcher, previous?.title ?? null, words),
    chineseFor: (english) => searcher.helpers.chineseFor?.(english) ?? [],
    isHome: (place) => isHomePlace(place, searcher.index, searcher.tuning.abstain),
    isPlace: writtenWithUnit(searcher.index),
  });
  if (understanding.kind === 'no-topic') return { understanding, understood: null, response: null, from: 0, answer: null, topic: previous };
  if (understanding.kind === 'more') {
    const response = await searcher.search(previous!.question, { k });
    const answer = composeAnswer(response, previous!.shown);
    return {
      understanding,
      understood: previous!.question,
      response,
      from: previous!.shown,
      answer,
      topic: { ...previous!, shown: previous!.shown + shownBy(answer) },
    };
  }
  const response = await searcher.search(understanding.question, { k, context: contextOf(understanding, previous) });
  const answer = composeAnswer(response);
  // A refused follow-up keeps the topic it followed. A refused new question is still what the chat is now about (never the old
  // topic): `2021年生产总值呢` refused, `那2019年呢` asks 2019's — and so is a new question wrongly refused, whose follow-ups still work.
  const refusedTopic = understanding.kind === 'followup' ? previous : { question: understanding.question, title: null, shown: 0 };
  const entity = understanding.kind === 'followup' ? understanding.entity : undefined;
  const first = response.hits[0]?.passage;
  const answered: Topic = {
    question: understanding.question,
    title: first?.title ?? null,
    shown: shownBy(answer),
    ...(entity ? { entity } : {}),
    ...(first ? { answered: { passageId: first.id, years: response.query.years } } : {}),
  };
  const topic = response.noAnswer ? refusedTopic : answered;
  return { understanding, understood: understanding.question, response, from: 0, answer, topic };
}

/** What a message's search knows of its chat: for a follow-up, the passage that answered the question it follows. */
export function contextOf(understanding: Understanding, previous: Topic | null): SearchContext {
  return understanding.kind === 'followup' && previous?.answered ? { answered: previous.answered } : {};
}

/**
 * Plays messages in order as one chat, each answered against the topic the ones
 * before it left: a dialogue as the eval scores it and training learns from it.
 */
export async function playChat(searcher: Searcher, messages: readonly string[], k = 10): Promise<Turn[]> {
  const turns: Turn[] = [];
  let topic: Topic | null = null;
  for (const message of messages) {
    const turn = await answerTurn(searcher, message, topic, k);
    topic = turn.topic;
    turns.push(turn);
  }
  return turns;
}

/** Passages an answer shows. */
function shownBy(answer: Answer): number {
  return answer.kind === 'quotes' ? answer.hits.length : 0;
}
