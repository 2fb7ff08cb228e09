import { answerTurn } from '../../conversation/turn.js';
import type { Dialogue } from '../../search/evaluate.js';
import type { Topic } from '../../search/followup.js';
import type { Searcher } from '../../search/searcher.js';
import { summarize, type LatencySummary } from './queries.js';

/** A follow-up turn's time against a plain search of the question it was understood as. */
export interface FollowUpBench {
  turns: number;
  rounds: number;
  /** The whole turn: understanding the message in its chat, then the search. */
  followUp: LatencySummary;
  /** The same rewritten questions searched alone. */
  plain: LatencySummary;
}

/** One chat played through: each later turn with the topic the earlier ones left. */
async function playDialogue(searcher: Searcher, dialogue: Dialogue, followUp: number[], plain: number[]): Promise<void> {
  let topic: Topic | null = null;
  for (const [k, { question }] of dialogue.turns.entries()) {
    const started = performance.now();
    const turn = await answerTurn(searcher, question, topic);
    const took = performance.now() - started;
    if (k > 0 && turn.understanding.kind === 'followup' && turn.understood) {
      followUp.push(took);
      const alone = performance.now();
      await searcher.search(turn.understood, { k: 10 });
      plain.push(performance.now() - alone);
    }
    topic = turn.topic;
  }
}

/**
 * Times the follow-up turns of the dialogue set (issue: within 2 ms of a plain
 * question), each against a plain search of its rewritten question, after one
 * untimed pass.
 */
export async function benchFollowUps(searcher: Searcher, dialogues: readonly Dialogue[], rounds: number): Promise<FollowUpBench> {
  for (const dialogue of dialogues) await playDialogue(searcher, dialogue, [], []);
  const followUp: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < rounds; round += 1) for (const dialogue of dialogues) await playDialogue(searcher, dialogue, followUp, plain);
  return { turns: followUp.length / Math.max(1, rounds), rounds, followUp: summarize(followUp), plain: summarize(plain) };
}
