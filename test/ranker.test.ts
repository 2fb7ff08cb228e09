import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { trainingItems, train } from '../src/cli/train-command.js';
import { playChat } from '../src/conversation/turn.js';
import { PROJECT_ROOT } from '../src/config.js';
import { checkBankFiles } from '../src/search/bank-check.js';
import { firstHitRank, readDialogues, readEvalSet, splitOf, type EvalItem } from '../src/search/evaluate.js';
import { ABSTAIN_FEATURES } from '../src/search/abstain.js';
import { CANDIDATE_FEATURES } from '../src/search/features.js';
import { loadSearchModel, MODEL_FILE } from '../src/search/model.js';
import { openSearcher } from '../src/search/open.js';
import { askedQuantity, statesQuantity } from '../src/search/quantity.js';
import { answerType, hasAnswerShape } from '../src/search/answer-type.js';
import { bigramCoverage, bigramsOf, bigramTable, weightedBigrams } from '../src/search/bigrams.js';
import { placesIn, writtenWithUnit } from '../src/search/places.js';
import { jiebaTokenizer } from '../src/index/tokenizer.js';
import { compact, normalizeForIndex } from '../src/ingest/normalize.js';
import { Searcher } from '../src/search/searcher.js';
import { SEEDS, SHARED_INDEX, buildSharedIndex, tempDir } from './helpers/fixture.js';

const BANK = path.join(PROJECT_ROOT, 'eval', 'questions.jsonl');
const bank = readEvalSet(BANK);
const DIALOGUES = path.join(PROJECT_ROOT, 'eval', 'dialogues.jsonl');
const dialogues = readDialogues(DIALOGUES);
await buildSharedIndex();
const searcher = await openSearcher({ dir: SHARED_INDEX });
const held = bank.filter((item) => splitOf(item.id) === 'test');

async function ranks(items: readonly EvalItem[]): Promise<Array<{ item: EvalItem; rank: number | null; noAnswer: boolean; kind: string | undefined }>> {
  const out = [];
  for (const item of items) {
    const response = await searcher.search(item.question, { k: 10 });
    out.push({ item, rank: firstHitRank(response, item.evidence), noAnswer: response.noAnswer, kind: response.hits[0]?.passage.kind });
  }
  return out;
}
const heldOut = await ranks(held);
const share = (list: readonly { rank: number | null }[], k: number): number =>
  list.filter((r) => r.rank !== null && r.rank <= k).length / Math.max(1, list.length);

test('the question bank: every evidence string is an exact, unique line fragment of the documents', () => {
  assert.ok(bank.filter((i) => i.evidence.length > 0).length >= 300, 'at least 300 answerable');
  assert.ok(bank.filter((i) => i.evidence.length === 0).length >= 80, 'at least 80 unanswerable');
  assert.deepEqual(checkBankFiles([BANK], SEEDS), []);
  // The checker can fail: a string that is not in the documents, and one found in many lines.
  const bad = path.join(tempDir('bank'), 'bad.jsonl');
  fs.writeFileSync(
    bad,
    `${JSON.stringify({ id: 'x1', question: '?', evidence: ['这句话不在文件里出现过'], type: 'fact' })}\n${JSON.stringify({ id: 'x2', question: '?', evidence: ['三门峡市'], type: 'fact' })}\n`,
  );
  const problems = checkBankFiles([bad], SEEDS);
  assert.equal(problems.length, 2, problems.join('\n'));
});

test('every document of the seeds has at least four questions in the bank', () => {
  const perDoc = new Map<string, number>();
  for (const item of bank)
    if (item.evidence.length)
      perDoc.set((item as EvalItem & { doc?: string }).doc ?? '', (perDoc.get((item as EvalItem & { doc?: string }).doc ?? '') ?? 0) + 1);
  const titles = new Set(searcher.index.passages.filter((p) => p.kind !== 'meta').map((p) => p.title));
  assert.ok(titles.size >= 30);
  const covered = [...titles].filter((t) => [...perDoc].some(([doc, n]) => n >= 4 && (doc.includes(t.slice(0, 12)) || t.includes(doc.slice(0, 12)))));
  assert.ok(covered.length >= titles.size - 6, `${covered.length}/${titles.size} documents with 4+ questions`);
});

test('the split is fixed by id and training only ever sees the train split', async () => {
  assert.equal(splitOf('a001'), splitOf('a001'));
  const test = bank.filter((i) => splitOf(i.id) === 'test').length / bank.length;
  assert.ok(test > 0.2 && test < 0.4, `test share ${test}`);
  const seen = trainingItems(bank);
  assert.ok(seen.length > 0 && seen.every((i) => splitOf(i.id) === 'train'));
  const leaked = bank.find((i) => splitOf(i.id) === 'test')!;
  const trainer = new Searcher(searcher.index, searcher.embedder, searcher.helpers);
  await assert.rejects(
    train(trainer, [...seen.slice(0, 3), leaked], 'x', () => {}),
    /outside the train split/u,
  );
});

test('the dialogue set: 60+ chats of every turn kind, evidence exact and unique, and training sees its train split only', async () => {
  assert.ok(dialogues.length >= 60, `${dialogues.length} dialogues`);
  const kinds = new Set(dialogues.flatMap((d) => d.turns.slice(1).map((t) => t.type)));
  for (const kind of ['year', 'place', 'aspect', 'pronoun', 'more', 'new-topic', 'unanswerable']) assert.ok(kinds.has(kind), kind);
  assert.deepEqual(checkBankFiles([DIALOGUES], SEEDS), []);
  const seenChats = trainingItems(dialogues);
  assert.ok(seenChats.length > 0 && seenChats.length < dialogues.length && seenChats.every((d) => splitOf(d.id) === 'train'));
  const leaked = dialogues.find((d) => splitOf(d.id) === 'test')!;
  await assert.rejects(
    train(new Searcher(searcher.index, searcher.embedder, searcher.helpers), trainingItems(bank).slice(0, 3), 'x', () => {}, [leaked]),
    /outside the train split/u,
  );
});

test('held out: follow-ups are answered in context and unanswerable ones mostly refused', async () => {
  const followUps: Array<number | null> = [];
  const unanswerable: boolean[] = [];
  for (const dialogue of dialogues.filter((d) => splitOf(d.id) === 'test')) {
    const turns = await playChat(
      searcher,
      dialogue.turns.map((t) => t.question),
    );
    for (const [k, t] of dialogue.turns.entries()) {
      const turn = turns[k]!;
      if (k === 0 || t.type === 'new-topic' || t.type === 'more') continue;
      const refused = !turn.response || turn.response.noAnswer;
      if (t.type === 'unanswerable') unanswerable.push(refused);
      else followUps.push(refused ? null : firstHitRank(turn.response!, t.evidence));
    }
  }
  const at = (k: number): number => followUps.filter((r) => r !== null && r <= k).length / followUps.length;
  // Floors under what the held-out chats score (R@1 0.74, R@5 0.90 without 还有呢 turns; 17/44 refused): a broken rewrite
  // loses far more. (The refusal floor sits below what is refused now: one turn either way must not turn CI red.)
  assert.ok(followUps.length >= 25 && unanswerable.length >= 8);
  assert.ok(at(5) >= 0.85, `R@5 ${at(5)}`);
  assert.ok(at(1) >= 0.65, `R@1 ${at(1)}`);
  assert.ok(unanswerable.filter(Boolean).length / unanswerable.length >= 0.35, `${unanswerable.filter(Boolean).length}/${unanswerable.length} refused`);
});

test('training is reproducible: the same data gives the same model, byte for byte', async () => {
  const items = trainingItems(bank).slice(0, 60);
  // The dialogues' follow-ups are rewritten by a ranker trained in the same run, never by the model in the repository.
  const chats = trainingItems(dialogues).slice(0, 6);
  const once = await train(new Searcher(searcher.index, searcher.embedder, searcher.helpers), items, 'subset', () => {}, chats);
  const twice = await train(new Searcher(searcher.index, searcher.embedder, searcher.helpers), items, 'subset', () => {}, chats);
  assert.equal(JSON.stringify(once), JSON.stringify(twice));
  assert.ok((once.trainedOn.dialogueTurns ?? 0) > 0);
  assert.ok(once.ranker.weights.some((w) => w !== 0));
});

test('the model in the repository loads and names the features search computes', () => {
  const model = loadSearchModel();
  assert.equal(model.trainedOn.split, 'train');
  assert.ok(model.threshold > 0 && model.threshold < 1);
  const broken = path.join(tempDir('model'), 'model.json');
  fs.writeFileSync(broken, JSON.stringify({ ...model, ranker: { ...model.ranker, features: ['cosine'] } }));
  assert.throws(() => loadSearchModel(broken), /npm run train/u);
  assert.ok(fs.existsSync(MODEL_FILE));
});

// One regression test per failure kind seen on unseen questions, each on the bank's held-out split.

test('held out: the passage with the specific figure comes first (number and date questions)', () => {
  const specific = heldOut.filter((r) => ['number', 'date'].includes(r.item.type));
  assert.ok(specific.length >= 10);
  assert.ok(share(specific, 1) >= 0.75, `R@1 ${share(specific, 1)}`);
  assert.ok(share(specific, 5) >= 0.9, `R@5 ${share(specific, 5)}`);
});

test('held out: questions about a document itself are answered from its own lines', () => {
  const about = heldOut.filter((r) => r.item.type === 'document');
  assert.ok(about.length >= 4);
  // A floor against a regression, not a target: 17 of the 22 held out since the z round are in the top 5, with this
  // version's code and the previous one's alike (it was 16 of 20 before that round).
  assert.ok(share(about, 5) >= 0.75, `R@5 ${share(about, 5)}`);
});

test('held out: yes/no questions get the passage that settles them, hardly ever a refusal', () => {
  const yesNo = heldOut.filter((r) => r.item.type === 'yes-no');
  assert.ok(yesNo.length >= 4);
  // The failure this guards against refused them as a kind (`…了没？` read as unrelated); one refusal in a dozen is the general rate.
  assert.ok(yesNo.filter((r) => r.noAnswer).length <= 1);
  assert.ok(share(yesNo, 5) >= 0.9, `R@5 ${share(yesNo, 5)}`);
});

test('a yes/no question whether something happened gets the sentence that says it did, not a plan for it', async () => {
  assert.equal(answerType('卢氏县脱贫了吗？'), 'done');
  assert.equal(answerType('三门峡进口铜精矿国检试验区建好了没'), 'done');
  assert.equal(answerType('卢氏县脱贫了多少人？'), 'number');
  assert.equal(hasAnswerShape('贫困发生率降至0.63%，卢氏县顺利脱贫摘帽', 'done'), true);
  assert.equal(hasAnswerShape('确保今年再有2.35万人脱贫、181个贫困村退出、卢氏县脱贫摘帽', 'done'), false);
  // The terminal's own example question: the 2019 review says it is done; the interview's 2019 plan came first before.
  const lushi = await searcher.search('卢氏县脱贫了吗？', { k: 5 });
  const first = lushi.hits[0]!.passage.text;
  assert.ok(/卢氏县(?:顺利|实现)脱贫摘帽/u.test(first), first.slice(0, 80));
});

test('held out: everyday words for official terms still find the passage', () => {
  const everyday = heldOut.filter((r) => ['paraphrase', 'colloquial', 'typo', 'abbreviation'].includes(r.item.type));
  assert.ok(everyday.length >= 15);
  assert.ok(share(everyday, 5) >= 0.9, `R@5 ${share(everyday, 5)}`);
});

test('held out: a year the documents do not cover is refused, and answerable questions are not', async () => {
  const answerable = heldOut.filter((r) => r.item.evidence.length > 0);
  // The budget is 2 % of answerable questions, spent on train out of fold. On 178 held-out questions a true 2 % reads anywhere
  // from 0 to about 4.5 % (two binomial standard deviations); this catches a refusal rule gone wrong, not sampling noise.
  assert.ok(answerable.filter((r) => r.noAnswer).length / answerable.length <= 0.045);
  for (const question of ['卢氏县2021年农村居民人均可支配收入是多少？', 'What was the GDP of Sanmenxia in 2015?']) {
    assert.ok((await searcher.search(question)).noAnswer, question);
  }
  // A best passage about other years is a ranking slip, not missing information, when a sentence most about the question names the year.
  const gdp = await searcher.search('2019年三门峡全市生产总值是多少，增长了多少？');
  assert.ok(!gdp.noAnswer && gdp.hits.some((hit) => hit.passage.text.includes('1443.8')));
  // ...but only a sentence about what is asked: 2018 named by the 两区 plan does not answer a question about 2018's 造林.
  assert.ok((await searcher.search('2018年三门峡计划完成造林多少亩？')).noAnswer);
});

test('a quantity none of the best passages states is refused: 多少亩 needs a number of 亩', async () => {
  assert.deepEqual(
    [
      '陇海铁路物流园规划占地多少亩？',
      '卢氏县今年要新建几套周转宿舍？',
      '门票多少钱一张？',
      '贫困发生率降到多少了？',
      '哪几家企业？',
      '第几次常务会议？',
      '能不能拿几项奖补？',
      // A unit named after 多少 wins over a share read into 占.
      '全市落实耕地占补平衡多少亩？',
      '占全省的多少？',
    ].map((q) => askedQuantity(q)),
    ['亩', '套', '元', '%', null, null, null, '亩', '%'],
  );
  assert.ok(
    statesQuantity('划定面积105万亩', '亩') &&
      statesQuantity('三千多亩', '亩') &&
      statesQuantity('发生率5.46%', '%') &&
      statesQuantity('减少岗位人员3人', '个') &&
      // A table row names its unit once, in its label.
      statesQuantity('个人卫生支出占卫生总费用的比重(%) 26.13 26.64', '%') &&
      statesQuantity('人均预期寿命（岁） *76.13 76.76', '岁'),
  );
  assert.ok(
    !statesQuantity('占地面积较大', '亩') &&
      !statesQuantity('投资116亿元', '亩') &&
      !statesQuantity('全面提升', '个') &&
      !statesQuantity('比重(%)', '%') &&
      !statesQuantity('人均预期寿命（岁） 76.13', '%'),
  );
  // The rule was chosen on the train split: there it refuses unanswerable quantity questions and at most one answerable
  // one (`煤矿一个班下井多少人，要符合哪个规定？` is answered by a rule, not a number, when the ranking brings no passage
  // with a number of people into its top 3).
  const asking = bank.filter((item) => splitOf(item.id) === 'train' && askedQuantity(normalizeForIndex(item.question)) !== null);
  const reasons = await Promise.all(asking.map(async (item) => ({ item, reason: (await searcher.search(item.question)).abstainReason })));
  assert.ok(reasons.filter((r) => r.item.evidence.length > 0 && r.reason === 'quantity').length <= 1);
  assert.ok(reasons.filter((r) => r.item.evidence.length === 0 && r.reason === 'quantity').length >= 5);
});

test('a year said in a passage\u2019s own words counts, not only its heading: the asked year\u2019s figure comes first', async () => {
  // Under one heading stand several years: the 2016 review and the five-year look-back; the 2019 budget's execution and
  // the 2020 budget. (Train-split dialogue turns, as the chat rewrites them.)
  const employment = await searcher.search('2016年三门峡城镇新增就业实际新增了多少？', { k: 10 });
  assert.equal(firstHitRank(employment, ['全市城镇新增就业6万人']), 1);
  // The features tell the budget's two years apart; the ranker weighs them against the rest (the 2019 passage holds
  // more of the question's characters, and comes first by a hair: see the README's known misses).
  const { candidates } = await searcher.candidates('2020年三门峡市级国有资本经营预算安排多少？');
  const feature = (text: string, name: (typeof CANDIDATE_FEATURES)[number]): number =>
    candidates.find((c) => c.signals.passage.text.includes(text))!.features[CANDIDATE_FEATURES.indexOf(name)]!;
  assert.deepEqual(
    (['yearInText', 'otherYearInText'] as const).map((name) => feature('2020 年市级国有资本经营预算收入 4000 万元', name)),
    [1, 0],
  );
  assert.deepEqual(
    (['yearInText', 'otherYearInText'] as const).map((name) => feature('2019 年市级国有资本经营收入预算为 4154 万元', name)),
    [0, 1],
  );
});

test('a question shares a passage\u2019s characters where jieba cuts their words apart: character bigrams are a ranker feature', async () => {
  // Bigrams stay within a run of Chinese characters and count once, numbers whole; a gram no passage holds weighs nothing.
  assert.deepEqual([...bigramsOf('速达纯电动，汽车2019年')], ['速达', '达纯', '纯电', '电动', '汽车', '2019']);
  const df = new Map([
    ['速达', 2],
    ['电动', 4],
  ]);
  assert.deepEqual(
    weightedBigrams('速达纯电动', df, 8).map((g) => g.gram),
    ['速达', '电动'],
  );
  // jieba reads the question's 速达纯 as one word, which no passage holds; the passage's characters still answer.
  const grams = weightedBigrams('速达纯电动汽车', bigramTable(['速达 纯电动汽车项目', '电动车', '汽车站']).df, 3);
  assert.equal(bigramCoverage(bigramsOf('投资26亿元的速达纯电动汽车项目'), grams), 1);
  assert.ok(bigramCoverage(bigramsOf('电动车充电桩'), grams) < 0.5);
  // A number is found whole: 国道310 is not in a passage that only says 3100.
  const road = bigramTable(['国道310南移', '投资3100万元']);
  const roadGrams = weightedBigrams('310', road.df, 2);
  assert.deepEqual([bigramCoverage(road.grams[0]!, roadGrams), bigramCoverage(road.grams[1]!, roadGrams)], [1, 0]);
  // Train-split questions that came second or third before the feature: of all the candidates, the answering passage
  // holds the most of the question's bigrams, and it comes first or second (the first of them came first when the
  // feature was added, and second, behind the EU-certification passage, once the ranker had learnt from 1,328 questions).
  const bigramIndex = CANDIDATE_FEATURES.indexOf('bigramCoverage');
  for (const [question, evidence] of [
    ['速达纯电动汽车项目通过了哪两个部门的认证？', bank.find((item) => item.id === 'p006')!.evidence[0]!],
    ['帮企业省电费那件事，一共给企业省下多少钱？', '为企业降低用电成本1540万元'],
  ] as const) {
    const { candidates } = await searcher.candidates(question);
    const answering = candidates.find((c) => c.signals.passage.text.includes(evidence))!;
    assert.ok(answering.features[bigramIndex]! > 0.2, question);
    assert.equal(Math.max(...candidates.map((c) => c.features[bigramIndex]!)), answering.features[bigramIndex], question);
    // (The ranking, before refusal: the second question is one of the train split's answerable questions the classifier refuses.)
    const { ranked } = await searcher.rank(question);
    const rank = ranked.findIndex((r) => compact(r.candidate.signals.passage.text).includes(compact(evidence))) + 1;
    assert.ok(rank >= 1 && rank <= 2, `${question}: ${rank}`);
  }
});

test('places are read whatever jieba tags them, and common words ending in a unit are not places', () => {
  const places = (q: string): string[] => placesIn(jiebaTokenizer.tag(q));
  assert.deepEqual(places('陕州区2018年底贫困发生率降到多少了？'), ['陕州区']);
  assert.deepEqual(places('灵宝市和卢氏县、渑池县、湖滨区、城乡一体化示范区'), ['灵宝市', '卢氏县', '渑池县', '湖滨区']);
  assert.deepEqual(places('氧吧城市创建工作领导小组里全市有几个开发区？'), []);
  assert.deepEqual(places('三门峡“两区”一共要划多少亩？小麦区多少？'), ['三门峡']);
  assert.deepEqual(places('2019年全市实际市本级'), []);
  // A place jieba cuts into the next word it does not know (湖滨 + 区建) is still one; a word it knows is not cut (灵宝 + 市场).
  assert.deepEqual(places('其中湖滨区建了几个？'), ['湖滨区']);
  assert.deepEqual(places('灵宝市场上苹果多少钱？'), []);
  // jieba tags 东西 as a place: the caller's check (the documents write it with a unit) keeps it out.
  assert.deepEqual(placesIn(jiebaTokenizer.tag('具体是建哪些东西？'), { tagged: () => false }), []);
  // jieba reads 卢氏 as a surname: a place when the caller knows it as one (the documents write it with a unit), else not. The
  // check is the corpus's own, not a list.
  const known = writtenWithUnit(searcher.index);
  const check = { untagged: known };
  assert.deepEqual(placesIn(jiebaTokenizer.tag('卢氏供地率是多少？'), check), ['卢氏']);
  assert.deepEqual(placesIn(jiebaTokenizer.tag('卢氏供地率是多少？')), []);
  assert.deepEqual(placesIn(jiebaTokenizer.tag('安伟市长说了什么？'), check), []);
  assert.ok(known('灵宝') && !known('那阵子') && !known('国家'));
});

test('a place none of the sentences most about the question names is refused; a place asked within is not a constraint', async () => {
  // The documents give 卢氏县's and 陕州区's 2017 rates, not 渑池县's; the province is 全省 in a city's documents.
  const refused = await searcher.search('2017年底渑池县贫困发生率有多高？');
  assert.ok(refused.noAnswer && refused.abstainReason === 'place');
  for (const question of ['2017年底陕州区贫困发生率有多高？', '河南省哪个县贫困发生率最高？', '第一批有哪个河南城市入选了国家产教融合型城市？']) {
    const response = await searcher.search(question);
    assert.ok(!response.noAnswer, question);
  }
  // A member list is about what its opening sentence is about: the line naming 义马市's member answers, though only the
  // sentence announcing the list shares the question's words; a city the list does not name is still refused.
  const member = await searcher.search('天然氧吧城市创建领导小组里，义马市来的是谁？');
  assert.ok(!member.noAnswer && member.hits[0]?.passage.text.includes('义马市政府市长'));
  assert.equal((await searcher.search('天然氧吧城市创建领导小组里，洛阳市来的是谁？')).abstainReason, 'place');
  // Chosen on the train split, where it refuses far more unanswerable questions than answerable ones.
  const train = bank.filter((item) => splitOf(item.id) === 'train');
  const reasons = await Promise.all(train.map(async (item) => ({ item, reason: (await searcher.search(item.question)).abstainReason })));
  const byPlace = reasons.filter((r) => r.reason === 'place');
  assert.ok(byPlace.filter((r) => r.item.evidence.length > 0).length * 5 <= byPlace.filter((r) => r.item.evidence.length === 0).length);
});

test('a question asking where, whose closest sentences name no place and say where nothing stands, leans to refusal', async () => {
  const at = ABSTAIN_FEATURES.indexOf('locationMissingNear');
  const fires = async (question: string): Promise<boolean> => (await searcher.rank(question)).abstainFeatures?.[at] === 1;
  // The documents plan a 残疾人康复中心 but never say where; the office of the 健康三门峡 committee is 设在 a bureau.
  assert.ok(await fires('残疾人康复中心建在什么地方？'));
  assert.ok(!(await fires('健康三门峡行动推进委员会的办公室设在哪里？')));
  // Chosen on the train split, where it fires on unanswerable questions asking which or where about twice as often as on
  // answerable ones (22 of 152 and 24 of 326).
  const asked = bank.filter((item) => splitOf(item.id) === 'train' && /哪|where/iu.test(item.question));
  const fired: EvalItem[] = [];
  for (const item of asked) if (await fires(item.question)) fired.push(item);
  const rate = (answerable: boolean): number =>
    fired.filter((item) => item.evidence.length > 0 === answerable).length / asked.filter((item) => item.evidence.length > 0 === answerable).length;
  assert.ok(rate(false) > 1.5 * rate(true));
});

test('what a question asks for informs refusal: a figure, a date or a place is what the documents most often leave out', async () => {
  const asks = async (question: string): Promise<string[]> => {
    const features = (await searcher.rank(question)).abstainFeatures ?? [];
    return (['asksNumber', 'asksWhen', 'asksWhere'] as const).filter((name) => features[ABSTAIN_FEATURES.indexOf(name)] === 1);
  };
  assert.deepEqual(await asks('卢氏县2019年脱贫多少人？'), ['asksNumber']);
  assert.deepEqual(await asks('第十二届中国摄影艺术节是哪天开幕的？'), ['asksWhen']);
  assert.deepEqual(await asks('残疾人康复中心建在什么地方？'), ['asksWhere']);
  assert.deepEqual(await asks('为什么要建设新型智慧城市？'), []);
  // Learned on the train split, where over two in five of the questions asking a figure, a date or a place are near misses and
  // under one in five of the rest: each pulls towards refusal.
  const { abstainer } = loadSearchModel();
  for (const name of ['asksNumber', 'asksWhen', 'asksWhere']) assert.ok(abstainer.weights[abstainer.features.indexOf(name)]! > 0, name);
});

test('a question about what a gazette issue holds, or on which page, is answered from its contents', async () => {
  for (const question of ['2020年第3号政府公报里都有哪些讲话？', '这期公报里那篇关于煤矿智能化建设实施方案的通知在第几页？']) {
    const response = await searcher.search(question);
    assert.equal(response.hits[0]?.passage.section[0], '目录', question);
  }
  // A question about one document's own number is still answered from that document's lines, not the contents listing its title.
  const own = await searcher.search('表彰2019年度市长质量奖获奖单位的决定文号是多少？');
  assert.notEqual(own.hits[0]?.passage.section[0], '目录');
});

test('between answering and refusing, a caveat: it falls on unanswerable questions far more often than on answerable ones', async () => {
  const model = loadSearchModel();
  assert.ok(model.hedgeThreshold <= model.threshold);
  const flagged = (items: readonly { noAnswer: boolean; unsure: boolean }[]): number =>
    items.filter((r) => r.noAnswer || r.unsure).length / Math.max(1, items.length);
  const responses = await Promise.all(held.map(async (item) => ({ item, ...(await searcher.search(item.question)) })));
  assert.ok(responses.every((r) => !(r.noAnswer && r.unsure)));
  const unanswerable = responses.filter((r) => r.item.evidence.length === 0);
  const answerable = responses.filter((r) => r.item.evidence.length > 0);
  assert.ok(flagged(unanswerable) > 2 * flagged(answerable), `${flagged(unanswerable)} vs ${flagged(answerable)}`);
});

test('held out: a list of names or rows comes first only when the question asks who, which or for a list', () => {
  const notWho = heldOut.filter((r) => r.item.evidence.length > 0 && !['who', 'which', 'list'].includes(r.item.type));
  const listFirst = notWho.filter((r) => r.kind === 'table' && r.rank !== 1);
  assert.ok(
    listFirst.length <= 2,
    `${listFirst.length} table passages first for questions not asking who: ${listFirst.map((r) => r.item.question).join(' / ')}`,
  );
});

test('a question about a document gets its card: the header and closing lines, each cited', async () => {
  const response = await searcher.search('三门峡市煤矿智能化建设实施方案的文号是多少？什么时候印发的？');
  const meta = response.hits.filter((h) => h.passage.kind === 'meta').slice(0, 2);
  assert.ok(
    meta.some((h) => h.passage.text.includes('三政办〔2020〕4号')),
    'its 文号',
  );
  assert.ok(
    meta.some((h) => h.passage.text.includes('2020年2月28日')),
    'its date',
  );
  for (const h of meta) assert.ok(h.passage.lines[0] > 0 && h.passage.file.endsWith('.txt'));
  // 哪天开的 of a meeting asks when the speech at it was given: its byline holds the date.
  const meeting = await searcher.search('仰韶百年纪念活动筹备推进会是哪天开的？');
  assert.ok(meeting.hits.slice(0, 3).some((h) => h.passage.kind === 'meta' && h.passage.text.includes('2020年3月26日')));
  // A signature line naming the same office as the header, and a year its 文号 also holds, is still a line of its own.
  const issued = await searcher.search('加强行政复议应诉工作、提升依法行政能力的意见是哪天印发的？');
  // Asked when, the dated line leads the card; asked its 几号文, the 文号 line does.
  assert.ok(issued.hits[0]!.passage.text.includes('2020年3月7日'), issued.hits.map((h) => h.passage.text.slice(0, 30)).join(' | '));
  const numbered = await searcher.search('加强行政复议应诉工作、提升依法行政能力的意见是几号文？');
  assert.ok(numbered.hits[0]!.passage.text.includes('三政办〔2020〕5号'), numbered.hits.map((h) => h.passage.text.slice(0, 30)).join(' | '));
});
