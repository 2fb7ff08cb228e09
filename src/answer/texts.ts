import type { Manifest } from '../index/manifest.js';
import { escapeHtml } from './html.js';

/** Questions longer than this are refused: a question, not a document. */
export const MAX_QUESTION_LENGTH = 1000;

/** Example questions shown in /start and /help: real ones the documents answer. */
export const EXAMPLES = ['卢氏县脱贫了吗？', '2019年民间投资增长多少？', '养老机构能不能一照多址？', 'How many toilets will be rebuilt in rural areas?'];

export const TEXTS = {
  start: [
    '你好！我回答关于三门峡市政府公开文件的问题：直接引用文件原文，并注明出处（文件、章节、日期、行号）。',
    '',
    '直接发送问题即可，例如：',
    ...EXAMPLES.map((q) => `• ${escapeHtml(q)}`),
    '',
    '在群里请用 /ask 问题，或 @我，或回复我的消息。/sources 查看收录的文件，/help 查看帮助。',
  ].join('\n'),
  help: [
    '<b>怎么用</b>',
    '• 私聊：直接发送问题。',
    '• 群聊：/ask 问题，或 @我 加问题，或回复我的消息。',
    '• 任何聊天：输入 @我的用户名 加问题，选择一条引文发送。',
    '• 答案下方：「更多结果」看其他段落，「上下文」看前后文，👍/👎 反馈。',
    '• 可以接着问：「那2018年呢？」「灵宝呢？」「它什么时候完成？」「还有呢？」；/new 或「重新开始」换个话题。',
    '',
    '我只引用文件原文，不编写答案；文件里没有的内容，我会直说。',
    '',
    '命令：/ask 提问 · /new 重新开始 · /sources 文件列表 · /about 模型与索引 · /help 帮助',
  ].join('\n'),
  empty: '请发送一个问题，例如：卢氏县脱贫了吗？',
  tooLong: `问题太长了（超过 ${MAX_QUESTION_LENGTH} 字）。请只问一个具体的问题。`,
  notText: '我只能回答文字问题。请用文字发送您的问题，例如：卢氏县脱贫了吗？',
  edited: '我不会重新回答修改过的消息；如需要，请把修改后的问题重新发送一次。',
  unknownCommand: '没有这个命令。可用命令：/ask 提问 · /sources 文件列表 · /about 模型与索引 · /help 帮助',
  askUsage: '用法：/ask 您的问题，例如 /ask 卢氏县脱贫了吗？',
  stale: '这条结果已过期（机器人重启过或时间太久），请重新提问。',
  noMore: '没有更多结果了。',
  noTopic: '请先问一个完整的问题，例如：2019年三门峡生产总值增长多少？之后可以接着问「那2018年呢？」。',
  newTopic: '好的，重新开始。请问一个完整的问题。',
  thanks: '谢谢反馈！',
  failed: '抱歉，处理这个问题时出错了，请稍后再试。',
  unsure: '⚠️ 文件里可能没有这个问题的确切答案，以下是最接近的原文，请核对：',
  unsureEnglish: 'The documents may not answer this exactly; here are the closest passages (quoted in Chinese):',
  slowDown: '您提问太快了，请稍等一分钟再问。',
} as const;

/** /sources: the documents in the index with their dates, one block per file (the caller packs them into messages). */
export function sourcesBlocks(documents: ReadonlyArray<{ file: string; title: string; date: string | null }>): string[] {
  const blocks: string[] = [];
  let file = '';
  for (const doc of documents) {
    if (doc.file !== file) {
      file = doc.file;
      blocks.push(`<code>${escapeHtml(file)}</code>`);
    }
    blocks[blocks.length - 1] += `\n• ${escapeHtml(doc.title)}${doc.date ? `（${escapeHtml(doc.date)}）` : ''}`;
  }
  return ['<b>收录的文件</b>', ...blocks];
}

/** /about: the model and the index the answers come from. */
export function aboutText(manifest: Manifest): string {
  const { model, counts, builtAt } = manifest;
  return [
    '<b>关于</b>',
    `嵌入模型：<code>${escapeHtml(model.id)}</code>（${escapeHtml(model.dtype)}，${model.dim} 维，本地运行）`,
    `检索：HNSW 向量检索 + jieba 分词 BM25，融合排序`,
    `索引：${counts.files} 个文件，${counts.documents} 篇文档，${counts.passages} 个段落`,
    `索引构建时间：${escapeHtml(builtAt)}`,
  ].join('\n');
}

/** /stats for admins: usage, abstention, feedback, answer times, and the index in service. */
export function statsText(
  stats: { answered: number; abstained: number; abstainRate: number; p50: number; p95: number },
  votes: { up: number; down: number },
  manifest: Manifest,
): string {
  return [
    '<b>统计</b>（自本次启动）',
    `已回答问题：${stats.answered}（其中无答案 ${stats.abstained}，占 ${(stats.abstainRate * 100).toFixed(1)}%）`,
    `反馈：👍 ${votes.up} · 👎 ${votes.down}`,
    `检索耗时：p50 ${stats.p50.toFixed(1)} ms · p95 ${stats.p95.toFixed(1)} ms`,
    `索引：${manifest.counts.passages} 个段落，构建于 ${escapeHtml(manifest.builtAt)}（用时 ${manifest.buildSeconds} s）`,
  ].join('\n');
}
