import { Composer, type Context } from 'telegraf';
import { message } from 'telegraf/filters';
import { packMessages } from '../answer/html.js';
import { DOCUMENT_TEXTS, TEXTS, addedText, documentListBlocks, documentProblemText, rebuildFailedText, receivedText, removedText } from '../answer/texts.js';
import { describeError } from '../errors.js';
import type { Corpus } from '../index/corpus.js';
import { LibraryError, listLibrary, removeFile, safeFileName, storeFile, undo, type LibraryProblem, type Stored } from '../ingest/library.js';
import { DOCUMENT_EXTENSIONS, isDocumentName } from '../ingest/read.js';
import { redact } from '../log.js';
import { isGroup, type BotParts, type Chat, type LibraryDeps, type RebuildResult } from './parts.js';
import { DownloadError, MAX_DOWNLOAD_BYTES, checkDeclaredSize, downloadFile } from './upload.js';

/** A caption asking to replace the file of the same name: `/replace` (or `/replace@bot`), alone. */
const REPLACE = /^\/replace(?:@[A-Za-z0-9_]+)?$/iu;

/** What the index in service holds of one file: its documents and passages. */
function held(corpus: Corpus, name: string): { documents: Array<{ title: string; date: string | null }>; passages: number } {
  const documents = corpus.documents().filter((doc) => doc.file === name);
  return { documents, passages: documents.reduce((sum, doc) => sum + doc.passages.length, 0) };
}

/**
 * The index's verdict on a file just stored: null when it is in, else why it
 * was skipped. A new file must add passages to the index, not just hold some:
 * a copy of a document already indexed, under a name that sorts first, takes
 * over the passages of the original (repeats are indexed at their first copy)
 * and adds none.
 */
function indexVerdict(corpus: Corpus, name: string, passagesBefore: number | null, result: RebuildResult | void): LibraryProblem | null {
  const entry = corpus.manifest.files.find((file) => file.name === name);
  const reason = result?.skipped?.get(name);
  if (!entry || reason !== undefined) return { kind: 'not-indexed', name, reason: reason ?? null };
  const added = passagesBefore === null || corpus.manifest.counts.passages > passagesBefore;
  return entry.passages > 0 && added ? null : { kind: 'no-passages', name };
}

/** The totals of the index in service. */
function totals(corpus: Corpus): { files: number; documents: number; passages: number } {
  const { files, documents, passages } = corpus.manifest.counts;
  return { files, documents, passages };
}

/**
 * Admin document management in a private chat: a file sent by an admin is
 * downloaded (20 MB at most), checked, stored under a safe name, and the index
 * rebuilt in the background and swapped in; `/remove NAME` takes one out;
 * `/docs` lists them. One rebuild at a time (shared with /reindex): a file
 * sent meanwhile is refused with "a rebuild is running" and not downloaded. A
 * rebuild that fails, or a file the index skips, is undone: the file is taken
 * out again (a replaced one put back) and the previous index keeps answering.
 * Anyone else sending a file in private gets a polite refusal and nothing is
 * downloaded; in groups files are ignored.
 */
export function documents(parts: BotParts): Composer<Context> {
  const { deps, config, send } = parts;
  const { logger } = deps;
  const c = new Composer<Context>();
  const isAdmin = (ctx: Context): boolean => ctx.from !== undefined && config.adminIds.has(ctx.from.id);
  const why = (err: unknown): string => redact(describeError(err), config.token);

  /** Runs `work` holding the one rebuild slot; says "busy" instead when a rebuild is running. */
  async function exclusively(chat: Chat, work: () => Promise<unknown>): Promise<void> {
    if (parts.isReindexing()) return void (await send(chat, [DOCUMENT_TEXTS.busy]));
    parts.setReindexing(true);
    try {
      await work();
    } finally {
      parts.setReindexing(false);
    }
  }

  /** Undoes a change whose rebuild failed or whose file the index skipped; rebuilds again when the index already took it. */
  async function revert(library: LibraryDeps, change: Stored, rebuilt: boolean): Promise<void> {
    undo(library.dir, change);
    if (!rebuilt) return;
    try {
      await library.rebuild();
    } catch (err) {
      logger.error(`could not rebuild after undoing ${change.name}: ${why(err)}`);
    }
  }

  /** Sends a refusal for a known problem; anything else is rethrown to the bot's error handler. */
  async function refuse(chat: Chat, err: unknown): Promise<void> {
    if (err instanceof LibraryError || err instanceof DownloadError) return void (await send(chat, [documentProblemText(err.problem)]));
    throw err;
  }

  c.on(message('document'), async (ctx) => {
    // Files are managed in private only; in groups (and channels) they are none of our business.
    if (ctx.chat.type !== 'private') return undefined;
    if (!isAdmin(ctx)) {
      logger.info(`refused a file from a non-admin (user ${ctx.from.id}); nothing downloaded`);
      return send(ctx.chat, [DOCUMENT_TEXTS.notAdmin]);
    }
    const library = deps.library;
    if (!library) return send(ctx.chat, [DOCUMENT_TEXTS.disabled]);
    const { document } = ctx.message;
    const name = safeFileName(document.file_name ?? '');
    const replace = REPLACE.test(ctx.message.caption?.trim() ?? '');
    const limit = Math.min(library.maxBytes ?? MAX_DOWNLOAD_BYTES, MAX_DOWNLOAD_BYTES);
    try {
      if (!isDocumentName(name)) throw new LibraryError({ kind: 'type', name: document.file_name || name, accepted: DOCUMENT_EXTENSIONS });
      checkDeclaredSize(document.file_size, limit);
    } catch (err) {
      return refuse(ctx.chat, err);
    }
    return exclusively(ctx.chat, async () => {
      let change: Stored;
      let size: number;
      const before = held(deps.searcher().index, name);
      const passagesBefore = deps.searcher().index.manifest.counts.passages;
      try {
        const data = await downloadFile(ctx.telegram, document.file_id, document.file_size, config.token, limit);
        size = data.length;
        change = storeFile(library.dir, name, data, replace);
      } catch (err) {
        return refuse(ctx.chat, err);
      }
      logger.info(`admin ${ctx.from.id} ${change.previous ? 'replaced' : 'added'} ${name} (${size} bytes); rebuilding`);
      await send(ctx.chat, [receivedText(name, size, change.previous !== null)]);
      let result: RebuildResult | void;
      try {
        result = await library.rebuild();
      } catch (err) {
        await revert(library, change, false);
        logger.warn(`rebuild with ${name} failed, file taken out again: ${why(err)}`);
        return send(ctx.chat, [rebuildFailedText(name, change.previous ? 'replace' : 'add', why(err))]);
      }
      const corpus = deps.searcher().index;
      const skipped = indexVerdict(corpus, name, change.previous ? null : passagesBefore, result);
      if (skipped) {
        await revert(library, change, true);
        logger.info(`${name} skipped by the index (${skipped.kind}); file taken out again`);
        return send(ctx.chat, [documentProblemText(skipped)]);
      }
      const now = held(corpus, name);
      return send(ctx.chat, [
        addedText({
          name,
          documents: now.documents,
          passages: now.passages,
          ...(change.previous ? { replaced: { documents: before.documents.length, passages: before.passages } } : {}),
          totals: totals(corpus),
        }),
      ]);
    });
  });

  c.command('remove', async (ctx) => {
    const group = isGroup(ctx.chat);
    const replyTo = group ? ctx.message.message_id : undefined;
    if (!isAdmin(ctx)) return send(ctx.chat, [TEXTS.unknownCommand], replyTo);
    if (group) return send(ctx.chat, [DOCUMENT_TEXTS.privateOnly], replyTo);
    const library = deps.library;
    if (!library) return send(ctx.chat, [DOCUMENT_TEXTS.disabled]);
    const name = ctx.payload.trim();
    if (!name) return send(ctx.chat, [DOCUMENT_TEXTS.removeUsage]);
    return exclusively(ctx.chat, async () => {
      const before = held(deps.searcher().index, name);
      let change: Stored;
      try {
        change = removeFile(library.dir, name);
      } catch (err) {
        return refuse(ctx.chat, err);
      }
      logger.info(`admin ${ctx.from.id} removed ${name}; rebuilding`);
      try {
        await library.rebuild();
      } catch (err) {
        await revert(library, change, false);
        logger.warn(`rebuild without ${name} failed, file put back: ${why(err)}`);
        return send(ctx.chat, [rebuildFailedText(name, 'remove', why(err))]);
      }
      return send(ctx.chat, [removedText(name, { documents: before.documents.length, passages: before.passages }, totals(deps.searcher().index))]);
    });
  });

  c.command('docs', (ctx) => {
    const replyTo = isGroup(ctx.chat) ? ctx.message.message_id : undefined;
    if (!isAdmin(ctx)) return send(ctx.chat, [TEXTS.unknownCommand], replyTo);
    const library = deps.library;
    if (!library) return send(ctx.chat, [DOCUMENT_TEXTS.disabled], replyTo);
    const indexed = new Map(deps.searcher().index.manifest.files.map((file) => [file.name, file.passages]));
    const files = listLibrary(library.dir).map((file) => ({ name: file.name, bytes: file.bytes, passages: indexed.get(file.name) ?? null }));
    return send(ctx.chat, packMessages(documentListBlocks(files), '\n'), replyTo);
  });

  c.command('replace', (ctx) =>
    send(ctx.chat, [isAdmin(ctx) ? DOCUMENT_TEXTS.replaceUsage : TEXTS.unknownCommand], isGroup(ctx.chat) ? ctx.message.message_id : undefined),
  );

  return c;
}
