import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ConversationStore } from '../src/conversation/store.js';
import { answerTurn } from '../src/conversation/turn.js';
import { TEXTS } from '../src/answer/texts.js';
import { understand } from '../src/search/followup.js';
import { openSearcher } from '../src/search/open.js';
import { BOT_ID, BOT_USERNAME, Harness } from './helpers/emulator.js';
import { SHARED_INDEX, buildSharedIndex } from './helpers/fixture.js';
import { plainText } from '../src/answer/html.js';

const plain = plainText;
const gdp = { question: '2019年三门峡生产总值是多少？', title: '政府工作报告', shown: 1 };

test('follow-ups are rewritten with the chat\u2019s topic; complete questions inherit nothing', () => {
  assert.deepEqual(understand('那2018年呢？', gdp), { kind: 'followup', question: '2018年三门峡生产总值是多少？' });
  assert.deepEqual(understand('17年呢', gdp), { kind: 'followup', question: '2017年三门峡生产总值是多少？' });
  assert.deepEqual(understand('What about 2018?', { ...gdp, question: 'What was the GDP of Sanmenxia in 2019?' }), {
    kind: 'followup',
    question: 'What was the GDP of Sanmenxia in 2018?',
  });
  assert.deepEqual(understand('灵宝呢？', gdp), { kind: 'followup', question: '2019年灵宝生产总值是多少？' });
  assert.deepEqual(understand('龙王庄煤矿呢？', { question: '千秋煤矿综采工作面什么时候完成智能化？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '龙王庄煤矿综采工作面什么时候完成智能化？',
  });
  // A county replaces the county, whole, whatever jieba tags either (卢氏县 is read as a name, 湖滨区 is cut in two).
  const rate = { question: '2017年底卢氏县贫困发生率有多高？', title: null, shown: 1 };
  assert.deepEqual(understand('陕州区呢？', rate), { kind: 'followup', question: '2017年底陕州区贫困发生率有多高？' });
  assert.deepEqual(understand('卢氏县呢？', { ...rate, question: '湖滨区2009至2017年已批土地的供地率是多少？' }), {
    kind: 'followup',
    question: '卢氏县2009至2017年已批土地的供地率是多少？',
  });
  // A year asked of a span of years (2012年以来的五年里, 2009至2017年) asks that one year.
  assert.deepEqual(understand('那2016年当年呢？', { question: '2012年以来的五年里，三门峡累计引进省外资金多少？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '2016年，三门峡累计引进省外资金多少？',
  });
  assert.deepEqual(understand('2018年呢', { question: '湖滨区2009至2017年已批土地的供地率是多少？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '湖滨区2018年已批土地的供地率是多少？',
  });
  const aspect = understand('增长了多少？', gdp);
  assert.ok(aspect.kind === 'followup' && aspect.question.includes('2019') && aspect.question.includes('生产总值') && aspect.question.includes('增长'));
  const pronoun = understand('它什么时候通车？', { question: '国道310南移项目总投资多少？', title: null, shown: 1 });
  // The name comes through whole: 南移 and 速达纯 are a verb and an unknown word to jieba, but part of the name before a noun.
  assert.ok(
    pronoun.kind === 'followup' && pronoun.question.includes('国道310南移项目') && pronoun.question.includes('通车') && !pronoun.question.includes('它'),
  );
  const car = understand('它2020年的产量目标是多少？', { question: '速达纯电动汽车项目投资多少？', title: null, shown: 1 });
  assert.ok(car.kind === 'followup' && car.question.includes('速达纯电动汽车项目') && car.question.includes('产量目标'));
  const health = understand('2020年的目标呢？', { question: '健康三门峡行动要求到2022年全市居民健康素养水平达到多少？', title: null, shown: 1 });
  assert.ok(health.kind === 'followup' && health.question.startsWith('健康三门峡行动2020年'), 'an adjective before a noun is part of the name too');
  // A period replaces or joins the year and stays in the topic whole (jieba cuts 一季度 into a number and a measure word);
  // 今年 keeps the topic's year, as 当年 does, and leaves nothing behind to be asked.
  const quarter = understand('今年一季度呢', { question: '三门峡2019年GDP完成了多少，增长多少？', title: null, shown: 1 });
  assert.deepEqual(quarter, { kind: 'followup', question: '三门峡2019年一季度GDP完成了多少，增长多少？' });
  const quarterGrowth = understand('一季度增长了多少？', { question: '2019年三门峡生产总值是多少？', title: null, shown: 1 });
  assert.ok(quarterGrowth.kind === 'followup' && quarterGrowth.question.includes('2019年一季度') && quarterGrowth.question.includes('增长'));
  // A name jieba does not know replaces the one ending the same way, a number in Chinese characters and all.
  assert.deepEqual(understand('梁家洼煤业呢？', { question: '渑池县九六八煤业的12020采煤工作面计划什么时候实现综采？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '渑池县梁家洼煤业的12020采煤工作面计划什么时候实现综采？',
  });
  // A level of government stands for the previous question's level, not its place, and may come with a year.
  assert.deepEqual(understand('市级呢？', { question: '2019年三门峡全市争取到多少政府债券？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '2019年三门峡市级争取到多少政府债券？',
  });
  const wholeCity = understand('那2019年全市的呢？', { question: '2020年三门峡市本级支出预算是多少？', title: null, shown: 1 });
  assert.ok(wholeCity.kind === 'followup' && wholeCity.question.startsWith('2019年三门峡全市支出预算'), JSON.stringify(wholeCity));
  // A previous question typed in Traditional is rewritten in Simplified, its names read.
  const insurance = understand('2020年提高到多少钱？', { question: '2016年三門峽城鎮居民醫保年人均補助標準提高到多少？', title: null, shown: 1 });
  assert.ok(insurance.kind === 'followup' && insurance.question.includes('2020年三门峡城镇居民医保'), JSON.stringify(insurance));
  // 其中 opening a message points back at what was just listed.
  const among = understand('其中铜精深加工要打响什么品牌？', { question: '2020年三门峡要培育壮大哪五大高端制造产业集群？', title: null, shown: 1 });
  assert.ok(among.kind === 'followup' && among.question.includes('产业集群') && among.question.includes('铜精深加工') && !among.question.includes('其中'));
  // A name of the same kind replaces the previous one whole, back to the place before it; a quoted name replaces the quoted one.
  assert.deepEqual(understand('固定资产投资目标呢？', { question: '2017年三门峡生产总值预期增长目标是多少？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '2017年三门峡固定资产投资目标是多少？',
  });
  assert.deepEqual(understand('“五中心”呢？', { question: '三门峡“三地五中心”里的“三地”指什么？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '三门峡“三地五中心”里的“五中心”指什么？',
  });
  // A level of government stands for another, and stays part of the topic when the next turn asks something else of it.
  const fund = { question: '2019年全市政府性基金预算收入完成多少？', title: null, shown: 1 };
  const cityLevel = understand('市本级呢？', fund);
  assert.deepEqual(cityLevel, { kind: 'followup', question: '2019年市本级政府性基金预算收入完成多少？' });
  const why = understand('为什么下降了？', { ...fund, question: cityLevel.kind === 'followup' ? cityLevel.question : '' });
  assert.ok(why.kind === 'followup' && why.question.includes('市本级') && why.question.includes('政府性基金'), JSON.stringify(why));
  // 这些罚款 stands for the fines named before, whose they are included (国道310南移东段的土地罚款).
  const fines = understand('这些罚款要求什么时候前返还？', { question: '国道310南移东段的土地罚款，渑池县还有多少没返还？', title: null, shown: 1 });
  assert.deepEqual(fines, { kind: 'followup', question: '国道310南移东段的土地罚款要求什么时候前返还' });
  // English follow-ups: a capitalised name stands for the last proper name, words keep their spaces, a counted year is put in.
  const english = { question: 'What was the GDP of Sanmenxia in 2019?', title: null, shown: 1 };
  assert.deepEqual(understand('What about Lingbao?', english), { kind: 'followup', question: 'What was the GDP of Lingbao in 2019?' });
  assert.deepEqual(understand('What about Lushi County?', english), { kind: 'followup', question: 'What was the GDP of Lushi County in 2019?' });
  const growth = understand('And the growth rate?', english);
  assert.ok(growth.kind === 'followup' && growth.question.startsWith('What was the GDP of Sanmenxia in 2019 ') && growth.question.endsWith('growth rate'));
  assert.deepEqual(understand('What about the year before?', english), { kind: 'followup', question: 'What was the GDP of Sanmenxia in 2018?' });
  assert.deepEqual(understand('上一年呢？', gdp), { kind: 'followup', question: '2018年三门峡生产总值是多少？' });
  assert.deepEqual(understand('下一年的呢', gdp), { kind: 'followup', question: '2020年三门峡生产总值是多少？' });
  // 当年 is the year just asked about: a follow-up, its year kept.
  const sameYear = understand('当年失业率是多少？', gdp);
  assert.ok(sameYear.kind === 'followup' && sameYear.question.includes('2019') && sameYear.question.includes('失业率') && !sameYear.question.includes('当年'));
  // 呢 may close the first clause only; 那届/那次 point back only after nothing but a year.
  const files = understand('19年呢，出了啥文件？', { question: '2018年市政府出台了哪些文件？', title: null, shown: 1 });
  assert.ok(files.kind === 'followup' && files.question.startsWith('2019年') && !files.question.includes('呢'), JSON.stringify(files));
  const edition = understand('18年那届是第几届？', { question: '2019年仰韶文化节是第几届？', title: null, shown: 1 });
  assert.ok(edition.kind === 'followup' && edition.question.startsWith('2018年仰韶文化'), JSON.stringify(edition));
  assert.equal(understand('义马气化厂那次爆炸死了几个人？', gdp).kind, 'standalone');
  // What modifies a noun through 的 is part of the name: the 新增就业 target, not the 城镇 one.
  const target = understand('它完成了多少？', { question: '2020年城镇新增就业的目标是多少？', title: null, shown: 1 });
  assert.ok(target.kind === 'followup' && target.question.includes('新增就业') && target.question.includes('完成'), JSON.stringify(target));
  // The unit a count asks in (多少钱) is not part of what a pronoun stands for.
  const cost = understand('它什么时候开工？', { question: '这座天桥要花多少钱？', title: null, shown: 1 });
  assert.ok(cost.kind === 'followup' && cost.question.includes('天桥') && !cost.question.includes('钱'), JSON.stringify(cost));
  assert.deepEqual(understand('这个报告是谁作的？', gdp), { kind: 'followup', question: '政府工作报告是谁作的' });
  // The document's kind may follow a few words of its own (这个奖补办法), and 这条 points as 这个 does; a kind that is
  // a verb (这个项目计划投资多少) is not the document.
  const rules = { question: '企业上市能拿多少奖补？', title: '三门峡市企业上市挂牌奖补资金管理办法', shown: 1 };
  assert.deepEqual(understand('这个奖补办法是谁出面解读的？', rules), { kind: 'followup', question: '三门峡市企业上市挂牌奖补资金管理办法是谁出面解读的' });
  assert.deepEqual(understand('这条政策由哪个部门牵头？', rules), { kind: 'followup', question: '三门峡市企业上市挂牌奖补资金管理办法由哪个部门牵头' });
  const project = understand('这个项目计划投资多少？', rules);
  assert.ok(project.kind === 'followup' && !project.question.includes('资金管理办法'), JSON.stringify(project));
  // What a count asked (投资多少) is not part of what 它 stands for; nor is what `X是…` said of X.
  assert.deepEqual(understand('它什么时候能通车？', { question: '国道310南移项目投资多少？', title: null, shown: 1 }), {
    kind: 'followup',
    question: '国道310南移项目什么时候能通车',
    entity: '国道310南移项目',
  });
  const issued = understand('它是哪天印发的', { question: '健康三门峡行动实施方案是市政府第几次常务会议审议通过的？', title: null, shown: 1 });
  assert.ok(issued.kind === 'followup' && issued.question.startsWith('健康三门峡行动实施方案') && !issued.question.includes('会议'), JSON.stringify(issued));
  // …but `X是怎么…` asks about what follows 是.
  const measures = understand('还有别的措施吗？', { question: '疫情期间三门峡是怎么补齐基层防控短板的？', title: null, shown: 1 });
  assert.ok(measures.kind === 'followup' && measures.question.includes('补齐基层防控'), JSON.stringify(measures));
  assert.deepEqual(understand('还有呢？', gdp), { kind: 'more' });
  // 还有呢 opening a question of its own leads into it: the question is asked without it.
  assert.deepEqual(understand('还有呢？物流目标还包括哪些？', gdp), { kind: 'standalone', question: '物流目标还包括哪些' });
  assert.deepEqual(understand('卢氏县脱贫了吗？', gdp), { kind: 'standalone', question: '卢氏县脱贫了吗？' });
  // A year or place and only a verb asking a count (分到多少亩) asks the topic again there; a place and a noun of its own stands alone.
  const fields = understand('灵宝市分到多少亩？', { question: '2020年三门峡要建设多少万亩高标准农田？', title: null, shown: 1 });
  assert.ok(fields.kind === 'followup' && fields.question.includes('灵宝市') && fields.question.includes('高标准农田'), JSON.stringify(fields));
  const budget = understand('2020年预算安排多少？', { question: '2019年三门峡市级国有资本经营收入为啥超预算这么多？', title: null, shown: 1 });
  assert.ok(budget.kind === 'followup' && budget.question.startsWith('2020年三门峡市级国有资本经营'), JSON.stringify(budget));
  assert.equal(understand('有多少条河流流入黄河？', { question: '黄河有效治理水土流失面积是多少？', title: null, shown: 1 }).kind, 'standalone');
  // Beside a year, one word of the topic's document (18年的目标) asks the topic of that year.
  const jobs = { question: '2020年三门峡城镇新增就业的目标是多少？', title: '政府工作报告', shown: 1 };
  const ofDocument = (words: readonly string[]): boolean => words.every((w) => ['目标', '就业'].includes(w));
  const target18 = understand('18年的目标是多少？', jobs, { inTopicDocument: ofDocument });
  assert.ok(target18.kind === 'followup' && target18.question.startsWith('2018年三门峡城镇新增就业'), JSON.stringify(target18));
  assert.equal(understand('18年的房价是多少？', jobs, { inTopicDocument: ofDocument }).kind, 'standalone');
  // A chat remembers what it is about apart from what it last asked: a year asked next asks the thing, not who is responsible.
  const jobs2020 = { question: '2020年三门峡重点民生实事里新增城镇就业的目标是多少？', title: null, shown: 1 };
  const who = understand('哪个部门主要负责？', jobs2020, { inTopicDocument: () => true });
  assert.ok(who.kind === 'followup' && who.entity && who.question.includes('负责'), JSON.stringify(who));
  const actual = understand('19年实际新增了多少', { ...jobs2020, question: who.question, entity: who.entity });
  assert.ok(actual.kind === 'followup' && actual.question.startsWith('2019年三门峡') && actual.question.includes('新增城镇就业'), JSON.stringify(actual));
  assert.ok(!actual.question.includes('负责') && !actual.question.includes('部门'), JSON.stringify(actual));
  // A place stays part of the topic however jieba tags it (陕州区 is x), and a verbal noun ends a name (产教融合).
  const certified = understand('陕州区认证了多少个？', { question: '灵宝市无公害农产品认证了几个？', title: null, shown: 1 });
  assert.ok(certified.kind === 'followup' && certified.question.includes('陕州区无公害农产品'), JSON.stringify(certified));
  const policy = understand('它对试点城市有什么支持？', { question: '2017年国务院办公厅印发了哪个关于产教融合的文件？', title: null, shown: 1 });
  assert.ok(policy.kind === 'followup' && policy.question.includes('产教融合'), JSON.stringify(policy));
  assert.deepEqual(understand('工业领导小组多久开一回会', gdp), { kind: 'standalone', question: '工业领导小组多久开一回会' });
  // 应该 is not the pronoun 该: a complete question, asked first or later, stands alone.
  for (const topic of [null, gdp]) {
    assert.deepEqual(understand('行政机关负责人不能出庭应诉时应该怎么办？', topic), {
      kind: 'standalone',
      question: '行政机关负责人不能出庭应诉时应该怎么办？',
    });
  }
  assert.deepEqual(understand('那2018年呢？', null), { kind: 'no-topic' });
  assert.deepEqual(understand('还有呢', null), { kind: 'no-topic' });
  assert.deepEqual(understand('它的目标是什么？', null), { kind: 'no-topic' });
  // A demonstrative after a name picks that thing out, and a pronoun after what the message itself named points at
  // it: both are complete questions, asked first or later (train-half first turns that got the no-topic reply).
  for (const question of ['安伟“五彩三门峡”那篇专访是哪家媒体的记者做的？', "What was Sanmenxia's GDP growth in Q1 2017, and where did it rank in Henan?"]) {
    assert.deepEqual(understand(question, null), { kind: 'standalone', question });
  }
  assert.deepEqual(understand('安伟“五彩三门峡”那篇专访是哪家媒体的记者做的？', gdp).kind, 'standalone');
});

test('the conversation store forgets after its time-out, on /new, and keeps at most its capacity', () => {
  let now = 0;
  const store = new ConversationStore(30 * 60_000, 10_000, () => now);
  store.set('p:1', gdp);
  now = 29 * 60_000;
  assert.deepEqual(store.get('p:1'), gdp);
  now = 60 * 60_000;
  assert.equal(store.get('p:1'), null, 'expired after 30 minutes without use');
  store.set('p:1', gdp);
  store.clear('p:1');
  assert.equal(store.get('p:1'), null);
  for (let chat = 0; chat < 20_000; chat += 1) store.set(`p:${chat}`, gdp);
  assert.equal(store.size, 10_000, 'memory is bounded');
  assert.equal(store.get('p:0'), null, 'the least recently used chats go first');
  assert.deepEqual(store.get('p:19999'), gdp);
});

await buildSharedIndex();
const searcher = await openSearcher({ dir: SHARED_INDEX });
let h: Harness;
let nextChat = 9000;
before(async () => {
  h = await Harness.start(searcher);
});
after(async () => {
  await h.stop();
  assert.deepEqual(h.problems, [], 'every message the bot sent is valid Telegram HTML within limits');
});

test('a private chat of three turns: a question, a follow-up understood in context, then more', async () => {
  const chat = { id: (nextChat += 1), type: 'private' as const };
  await h.send(h.message(chat, '工业领导小组多久开一回会？'));
  const [first] = await h.replies(chat.id);
  assert.ok(plain(first!.text).includes('一个月召开一次'));
  await h.send(h.message(chat, '谁负责抓落实呢？'));
  const [second] = await h.replies(chat.id);
  assert.match(plain(second!.text), /^（理解为：[^）]*工业领导小组[^）]*）/u, 'the reply says how the follow-up was understood');
  await h.send(h.message(chat, '还有呢？'));
  const more = await h.replies(chat.id);
  assert.ok(more.length >= 1 && (more[0]!.text.includes('<blockquote') || more[0]!.text === TEXTS.noMore));
  await h.send(h.message(chat, '/new'));
  assert.equal((await h.replies(chat.id))[0]!.text, TEXTS.newTopic);
  await h.send(h.message(chat, '那2018年呢？'));
  assert.equal((await h.replies(chat.id))[0]!.text, TEXTS.noTopic, 'after /new a follow-up has nothing to follow');
});

test('a refused question is still what the chat is about: its follow-up asks the same of another year', async () => {
  const chat = { id: (nextChat += 1), type: 'private' as const };
  await h.send(h.message(chat, '2025年三门峡生产总值是多少？'));
  const [refused] = await h.replies(chat.id);
  assert.ok(!refused!.text.includes('<blockquote'), 'the documents give no figure for 2025');
  await h.send(h.message(chat, '那2016年呢？'));
  const [answer] = await h.replies(chat.id);
  assert.match(plain(answer!.text), /^（理解为：2016年三门峡生产总值是多少？）/u);
  assert.ok(plain(answer!.text).includes('1348.6'), '2016’s figure is quoted');
});

test('a follow-up about another year is not answered again by the passage that gave the other year\u2019s figure', async () => {
  const first = await answerTurn(searcher, '2019年省财政厅转贷给三门峡全市的政府债券有多少？', null);
  assert.ok(plain(first.response!.hits[0]!.passage.text).includes('375630'), '2019’s bonds are quoted first');
  const next = await answerTurn(searcher, '2020年呢？', first.topic);
  assert.equal(next.understanding.kind, 'followup');
  const alone = await searcher.search(next.understood!, { k: 10 });
  assert.ok(plain(alone.hits[0]!.passage.text).includes('375630'), 'asked alone, the 2019 passage still ranks first');
  assert.ok(next.response && !next.response.noAnswer && !plain(next.response.hits[0]!.passage.text).includes('375630'), 'in the chat it does not');
  assert.ok(
    next.response.hits.some((hit) => plain(hit.passage.text).includes('375630')),
    'it is passed over, not removed',
  );
  assert.equal(next.response.noAnswer, alone.noAnswer, 'whether to refuse is judged on the question alone');
});

test('a comparison with the year before asks the same year; a year asked with a pointer stays in the question', () => {
  const share = { question: '2016年三门峡第三产业增加值占GDP的比重是多少？', title: null, shown: 1 };
  const rise = understand('比上一年提高了多少？', share);
  assert.equal(rise.kind, 'followup');
  assert.ok(rise.kind === 'followup' && rise.question.includes('2016年') && rise.question.includes('比上一年'), JSON.stringify(rise));
  assert.deepEqual(understand('上一年呢？', share), { kind: 'followup', question: '2015年三门峡第三产业增加值占GDP的比重是多少？' });
  const asked = understand('2019年这个比重是多少？', { ...share, question: '2016年三门峡第三产业增加值GDP比重 比上一年提高了多少' });
  assert.deepEqual(asked, { kind: 'followup', question: '2019年三门峡第三产业增加值GDP比重是多少' });
});

test('a name in a follow-up stands for one of its own kind in the question before', () => {
  const home = { isHome: (place: string) => place === '三门峡' };
  const topic = (question: string) => ({ question, title: null, shown: 1 });
  // A county for the question's county, not for the documents' home, else for its other place (from 三门峡 to 郑州, not
  // from 郑州); a county asked of the whole city's figure drops 全市.
  const county = understand('卢氏县呢？', topic('2020年三门峡要在渑池县建几个负压病房？'), home);
  assert.deepEqual(county, { kind: 'followup', question: '2020年三门峡要在卢氏县建几个负压病房？' });
  assert.deepEqual(understand('郑州呢', topic('从三门峡坐高铁到西安最快要多久？'), home), { kind: 'followup', question: '从三门峡坐高铁到郑州最快要多久？' });
  assert.deepEqual(understand('卢氏县的呢', topic('三门峡全市的供地率是多少？'), home), { kind: 'followup', question: '卢氏县的供地率是多少？' });
  assert.deepEqual(understand('湖滨区呢', topic('全市供地率是多少？'), home), { kind: 'followup', question: '湖滨区供地率是多少？' });
  // `X的Y呢` with Y already asked asks Y of X.
  assert.deepEqual(understand('卢氏的供地率呢？', topic('湖滨区供地率是多少？'), home), { kind: 'followup', question: '卢氏供地率是多少？' });
  // With only the home named, the home is what a county stands for.
  assert.deepEqual(understand('灵宝呢？', gdp, home), { kind: 'followup', question: '2019年灵宝生产总值是多少？' });
  // A word for its counterpart; a named 煤矿 for the named one, not the 煤矿 of 煤矿智能化.
  assert.deepEqual(understand('農村的呢？', topic('2020年三门峡城市低保标准提高到多少？'), home), {
    kind: 'followup',
    question: '2020年三门峡农村低保标准提高到多少？',
  });
  const mine = understand('千秋煤矿的呢', topic('按三门峡煤矿智能化建设任务一览表，耿村煤矿的井下环网升级改造什么时候完成？'), home);
  assert.deepEqual(mine, { kind: 'followup', question: '按三门峡煤矿智能化建设任务一览表，千秋煤矿的井下环网升级改造什么时候完成？' });
  // 年度 goes with its year; a county jieba cuts into the next word (湖滨 + 区建) is still a county, kept whole in the topic.
  const award = understand('2018年度的呢？', topic('2019年度三门峡市市长质量奖授予了哪些单位？'), home);
  assert.deepEqual(award, { kind: 'followup', question: '2018年度三门峡市市长质量奖授予了哪些单位？' });
  const branches = understand('其中湖滨区建了几个？', topic('新冠疫情防控期间，三门峡在老旧小区建立了多少个党支部？'), home);
  assert.ok(branches.kind === 'followup' && branches.question.includes('湖滨区') && !branches.question.includes('区建'), JSON.stringify(branches));
  // The quantity a count asks (总投资是多少) is not part of what 它 stands for.
  const opening = understand('它啥时候能通车？', topic('国道310南移项目总投资是多少？'), home);
  assert.ok(opening.kind === 'followup' && opening.question.startsWith('国道310南移项目') && !opening.question.includes('投资'), JSON.stringify(opening));
});

test('a short question in the words of the plan a notice issues asks more of that plan', async () => {
  const notice = {
    question: '装备制造业高质量发展政策措施什么时候印发的？',
    title: '三门峡市人民政府关于印发三门峡市支持装备制造业高质量发展若干政策措施的通知',
    shown: 1,
  };
  const turn = await answerTurn(searcher, '专项资金有多少？', notice);
  assert.equal(turn.understanding.kind, 'followup', 'the notice’s plan speaks of 专项资金, so this asks more of it');
  assert.ok(turn.response && !turn.response.noAnswer && plain(turn.response.hits[0]!.passage.text).includes('5000'), 'the plan’s fund is quoted first');
});

test('an English place in a chat asked in Chinese stands for its Chinese name, through the corpus\u2019s own English lookup', async () => {
  const gdpTopic = { question: '2019年三门峡生产总值是多少？', title: null, shown: 1 };
  const lingbao = await answerTurn(searcher, 'What about Lingbao?', gdpTopic);
  assert.ok(lingbao.understood?.includes('灵宝') && !/lingbao/iu.test(lingbao.understood), `understood as ${lingbao.understood}`);
  const industry = { question: '2018年1—4月三门峡工业增速和哪个市并列全省第6位？', title: null, shown: 1 };
  const luoyang = await answerTurn(searcher, 'And Luoyang?', industry);
  assert.ok(luoyang.understood?.includes('洛阳') && !luoyang.understood.includes('三门峡'), `understood as ${luoyang.understood}`);
});

test('a follow-up with no question before it gets the ask-a-complete-question reply, never an error', async () => {
  const chat = { id: (nextChat += 1), type: 'private' as const };
  await h.send(h.message(chat, '还有呢'));
  assert.equal((await h.replies(chat.id))[0]!.text, TEXTS.noTopic);
});

test('in a group only a reply chain carries context from one member\u2019s question to the next', async () => {
  const chat = { id: -(nextChat += 1), type: 'group' as const };
  const alice = { id: 7101, first_name: 'Alice', username: 'alice' };
  const bob = { id: 7102, first_name: 'Bob', username: 'bob' };
  await h.send(h.message(chat, '/ask 2019年三门峡生产总值是多少？', {}, alice));
  const [answer] = await h.replies(chat.id);
  assert.ok(answer!.message_id);
  // Bob asks a bare follow-up with /ask and no reply: a fresh start, Alice's topic does not leak.
  await h.send(h.message(chat, '/ask 灵宝呢？', {}, bob));
  const [fresh] = await h.replies(chat.id);
  assert.ok(!plain(fresh!.text).includes('理解为'), 'no context without a reply');
  // Bob replies to the bot's answer to Alice: that thread continues.
  const replyTo = {
    message_id: answer!.message_id,
    date: 0,
    chat: { id: chat.id, type: 'group', title: 'Staff' },
    from: { id: BOT_ID, is_bot: true, first_name: 'Bot' },
    text: 'x',
  };
  await h.send(h.message(chat, `@${BOT_USERNAME} 那2018年呢？`, { reply_to_message: replyTo }, bob));
  const [continued] = await h.replies(chat.id);
  assert.match(plain(continued!.text), /理解为：2018年三门峡生产总值/u);
});
