import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openSearcher } from '../src/search/open.js';
import { Harness, TOKEN } from './helpers/emulator.js';
import { FaultProxy } from './helpers/fault-proxy.js';
import { SHARED_INDEX, buildSharedIndex } from './helpers/fixture.js';

await buildSharedIndex();
const searcher = await openSearcher({ dir: SHARED_INDEX });

test('with 429s, 500s, dropped connections and a network outage, every question gets exactly one answer', async () => {
  let proxy: FaultProxy | undefined;
  const h = await Harness.startWith(searcher, async (emulatorUrl) => {
    // sendMessage: 429, 500, dropped, fine, in turn; getUpdates: an occasional 502-like failure.
    proxy = new FaultProxy(emulatorUrl, (method, n) =>
      method === 'sendMessage' ? (['429', '500', 'drop', 'pass'] as const)[(n - 1) % 4]! : method === 'getUpdates' && n % 50 === 0 ? '500' : 'pass',
    );
    await proxy.start();
    return { TELEGRAM_API_ROOT: proxy.url };
  });
  try {
    const questions = [
      '卢氏县脱贫了吗',
      '2019年民间投资增长多少',
      '农村厕所今年要改多少户',
      '工业领导小组多久开一回会',
      '郑州市2020年重点民生实事有哪些？',
      '大数据局奖了多少钱',
    ];
    const chats = questions.map((_, i) => ({ id: 8100 + i, type: 'private' as const }));
    for (const [i, q] of questions.slice(0, 3).entries()) await h.send(h.message(chats[i]!, q));
    // The network goes away for three seconds while answers are under way, then comes back.
    proxy!.outage(3000);
    for (const [i, q] of questions.slice(3).entries()) await h.send(h.message(chats[i + 3]!, q));
    for (const chat of chats) {
      const replies = await h.replies(chat.id, 1, 1500, 60_000);
      assert.equal(replies.length, 1, `chat ${chat.id} got ${replies.length} answers`);
    }
    const faults = proxy!.seen.filter((s) => s.fault !== 'pass').map((s) => `${s.method}:${s.fault}`);
    assert.ok(faults.includes('sendMessage:429') && faults.includes('sendMessage:500') && faults.includes('sendMessage:drop'), faults.join(' '));
    assert.ok(
      faults.some((f) => f.startsWith('getUpdates:')),
      'polling went through failures too',
    );
    assert.ok(
      h.logs.some((l) => l.includes('retry')),
      'retries are logged',
    );
    assert.ok(!h.logs.join('\n').includes(TOKEN));
    assert.deepEqual(h.problems, []);
  } finally {
    await h.stop();
    await proxy?.stop();
  }
});
