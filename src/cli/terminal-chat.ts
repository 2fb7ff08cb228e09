import readline from 'node:readline';
import { MAX_QUESTION_LENGTH, TEXTS } from '../answer/texts.js';
import { RESTART, answerTurn } from '../conversation/turn.js';
import type { Topic } from '../search/followup.js';
import { stripBotNoise } from '../search/query.js';
import type { Searcher } from '../search/searcher.js';
import { renderAnswerText } from '../answer/terminal.js';

/**
 * The product without Telegram: a chat in the terminal that answers with the
 * same quotes and sources the bot would send. Ends on /quit, Ctrl-D or Ctrl-C.
 */
export async function terminalChat(
  searcher: Searcher,
  input: NodeJS.ReadableStream = process.stdin,
  output: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): Promise<void> {
  const ansi = output.isTTY === true;
  const rl = readline.createInterface({ input, output, terminal: ansi });
  const say = (text: string): void => void output.write(`${text}\n`);
  say('三门峡政府文件问答（终端模式：没有设置 BOT_TOKEN）。输入问题并回车；/quit 退出。');
  say(`例如：卢氏县脱贫了吗？`);
  if (ansi) rl.setPrompt('\n问> ');
  if (ansi) rl.prompt();
  // The terminal is one chat: it remembers its topic for follow-ups until /new.
  let topic: Topic | null = null;
  for await (const line of rl) {
    const text = line.trim();
    if (text === '/quit' || text === '/exit') break;
    if (text === '/new') {
      topic = null;
      say(TEXTS.newTopic);
      if (ansi) rl.prompt();
      continue;
    }
    if (text) {
      const question = stripBotNoise(text);
      if (!question) say(TEXTS.empty);
      else if (question.length > MAX_QUESTION_LENGTH) say(TEXTS.tooLong);
      else if (RESTART.test(question)) {
        topic = null;
        say(TEXTS.newTopic);
      } else {
        const turn = await answerTurn(searcher, question, topic);
        if (!turn.answer) say(TEXTS.noTopic);
        else {
          const { answer } = turn;
          const understood = turn.understanding.kind === 'followup' ? `（理解为：${turn.understood}）\n` : '';
          if (turn.understanding.kind === 'more' && answer.kind === 'none') say(TEXTS.noMore);
          else say(`\n${understood}${renderAnswerText(answer, ansi)}`);
          topic = turn.topic;
        }
      }
    }
    if (ansi) rl.prompt();
  }
  rl.close();
}
