import type { DownloadProblem } from '../bot/upload.js';
import type { LibraryProblem } from '../ingest/library.js';
import type { Manifest } from '../index/manifest.js';
import { clipText, escapeHtml } from './html.js';

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

// Admin document management: files sent to the bot, /remove, /docs.

/** Fixed replies of document management. */
export const DOCUMENT_TEXTS = {
  notAdmin: '抱歉，只有管理员可以向我添加文件，文件没有保存。如有问题，请直接用文字发送，例如：卢氏县脱贫了吗？',
  disabled: '这个实例不能添加或删除文件。',
  busy: '索引正在重建中，请等它完成后再发送。',
  privateOnly: '请在与我的私聊中管理文件。',
  removeUsage: '用法：/remove 文件名，例如 /remove 通知.txt（/docs 列出所有文件）。',
  replaceUsage: '要替换同名文件：重新发送该文件，并在文件的说明（caption）里写 /replace。',
} as const;

/** A size for people: 12 KB, 3.4 MB. */
function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file name in a reply: as code, escaped, and clipped so a reply never nears Telegram's limit. */
function fileName(name: string): string {
  return `<code>${escapeHtml(clipText(name, 120))}</code>`;
}

/** Why a file was not added (or removed), worded for the admin, with what to do. */
export function documentProblemText(problem: LibraryProblem | DownloadProblem): string {
  switch (problem.kind) {
    case 'type':
      return `不能收录 ${fileName(problem.name)}：只接受 ${problem.accepted.map(escapeHtml).join('、')} 文件。`;
    case 'empty':
      return `没有收录 ${fileName(problem.name)}：文件是空的（没有文字）。`;
    case 'not-utf8':
      return `没有收录 ${fileName(problem.name)}：它不是 UTF-8 编码的文本（GBK 等编码请先另存为 UTF-8）。`;
    case 'binary':
      return `没有收录 ${fileName(problem.name)}：它不是文本文件（含有二进制数据）。`;
    case 'exists':
      return `已有同名文件 ${fileName(problem.name)}，内容不同，没有覆盖。${DOCUMENT_TEXTS.replaceUsage}`;
    case 'duplicate':
      return problem.existing === problem.name
        ? `${fileName(problem.name)} 已经收录，内容完全相同，无需再次添加。`
        : `这个文件已经收录为 ${fileName(problem.existing)}（内容完全相同），没有重复添加。`;
    case 'missing':
      return [
        `没有名为 ${fileName(problem.name)} 的文件。`,
        ...(problem.closest.length > 0 ? ['最接近的：', ...problem.closest.map((n) => `• ${fileName(n)}`)] : []),
      ].join('\n');
    case 'not-indexed':
      return `没有收录 ${fileName(problem.name)}：索引程序没有读取它${problem.reason ? `（${escapeHtml(clipText(problem.reason, 300))}）` : ''}。这次更改已撤销，索引未改变。`;
    case 'no-passages':
      return `没有收录 ${fileName(problem.name)}：其中没有可引用的段落（全是空行、版面杂项，或与已收录的文字重复）。这次更改已撤销，索引未改变。`;
    case 'too-large':
      return `文件太大${problem.bytes ? `（${size(problem.bytes)}）` : ''}，没有下载：Telegram 只允许机器人下载 ${size(problem.limit)} 以内的文件。`;
    case 'download':
      return `没能从 Telegram 下载这个文件（${escapeHtml(clipText(problem.why, 300))}），请稍后重新发送。`;
  }
}

/** The first reply to a file being added: it is stored and the index is being rebuilt. */
export function receivedText(name: string, bytes: number, replacing: boolean): string {
  return `已收到 ${fileName(name)}（${size(bytes)}）${replacing ? '，将替换同名文件' : ''}。正在重建索引，完成后告诉您结果；期间照常回答问题。`;
}

/** Counts of the index in service, for the end of a reply. */
function totalsLine(totals: { files: number; documents: number; passages: number }): string {
  return `索引现有 ${totals.files} 个文件，${totals.documents} 篇文档，${totals.passages} 个段落。`;
}

/** The reply once a file is in the index: its documents and passages, and the new totals. */
export function addedText(added: {
  name: string;
  documents: ReadonlyArray<{ title: string; date: string | null }>;
  passages: number;
  /** What the file held before it was replaced; absent for a new file. */
  replaced?: { documents: number; passages: number };
  totals: { files: number; documents: number; passages: number };
}): string {
  const shown = added.documents.slice(0, 10);
  return [
    `${added.replaced ? '已替换' : '已收录'} ${fileName(added.name)}：${added.documents.length} 篇文档，${added.passages} 个段落${
      added.replaced ? `（原来 ${added.replaced.documents} 篇文档，${added.replaced.passages} 个段落）` : ''
    }。`,
    ...shown.map((doc) => `• ${escapeHtml(clipText(doc.title, 100))}${doc.date ? `（${escapeHtml(doc.date)}）` : ''}`),
    ...(added.documents.length > shown.length ? [`…… 另有 ${added.documents.length - shown.length} 篇`] : []),
    totalsLine(added.totals),
    '现在就可以提问了。',
  ].join('\n');
}

/** The reply once a file is out of the index. */
export function removedText(
  name: string,
  held: { documents: number; passages: number },
  totals: { files: number; documents: number; passages: number },
): string {
  return [`已删除 ${fileName(name)}（${held.documents} 篇文档，${held.passages} 个段落）。`, totalsLine(totals)].join('\n');
}

/** The reply when a rebuild failed: nothing changed, the old index answers, and why. */
export function rebuildFailedText(name: string, action: 'add' | 'replace' | 'remove', why: string): string {
  const undone = {
    add: `没有收录 ${fileName(name)}（文件已移除）`,
    replace: `没有替换 ${fileName(name)}（原文件已放回）`,
    remove: `没有删除 ${fileName(name)}（文件已放回）`,
  }[action];
  return `重建索引失败，${undone}，旧索引继续使用：${escapeHtml(clipText(why, 500))}`;
}

/** /docs: the files of the documents folder with size and passages in the index (null: not indexed), then how to manage them. */
export function documentListBlocks(files: ReadonlyArray<{ name: string; bytes: number; passages: number | null }>): string[] {
  return [
    `<b>文件夹中的文件</b>（${files.length} 个）`,
    ...files.map((f) => `${fileName(f.name)} · ${size(f.bytes)} · ${f.passages === null ? '未索引' : `${f.passages} 个段落`}`),
    '发送文件即可添加；说明（caption）写 /replace 替换同名文件；/remove 文件名 删除。',
  ];
}
