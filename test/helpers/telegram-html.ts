/**
 * A strict checker for what the bot sends to Telegram, used by the bot's tests on
 * every outgoing request. The Bot API emulator used in tests accepts anything, while
 * the real Bot API rejects a message whose HTML it cannot parse, whose text is too
 * long or empty, or whose buttons carry too much callback data.
 *
 * The HTML rules follow the Bot API "HTML style" section
 * (https://core.telegram.org/bots/api#html-style), read strictly: anything the
 * documentation does not allow is reported, even where Telegram happens to be lenient.
 */

/** Telegram's limit on a message text, in UTF-16 code units after entity parsing. */
export const MAX_MESSAGE_LENGTH = 4096;
/** Telegram's limit on a media caption, in UTF-16 code units after entity parsing. */
export const MAX_CAPTION_LENGTH = 1024;
/** Telegram's limit on an inline button's callback_data, in UTF-8 bytes. */
export const MAX_CALLBACK_DATA_BYTES = 64;
/** Telegram's limit on an inline query result id, in UTF-8 bytes. */
export const MAX_INLINE_RESULT_ID_BYTES = 64;
/** Telegram's limit on the number of results in one answerInlineQuery call. */
export const MAX_INLINE_RESULTS = 50;
/** Telegram's limit on the notification text of answerCallbackQuery, in characters. */
export const MAX_CALLBACK_ANSWER_LENGTH = 200;

/** The tags of HTML parse mode; every other tag is rejected by Telegram. */
const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji', 'code', 'pre', 'blockquote']);

/** The only named entities Telegram's HTML parser knows. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

interface Attr {
  name: string;
  /** Raw value as written (entities not decoded); null for a bare boolean attribute. */
  value: string | null;
  quoted: boolean;
}

type Token =
  | { kind: 'text'; raw: string; at: number }
  | { kind: 'open'; name: string; attrs: Attr[]; attrError: string | null; selfClosing: boolean; at: number }
  | { kind: 'close'; name: string; hasAttrs: boolean; at: number }
  | { kind: 'lt'; at: number };

const OPEN_TAG = /<([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s=>/"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const CLOSE_TAG = /<\/([A-Za-z][A-Za-z0-9-]*)(\s[^<>]*)?>/y;
const ATTR = /\s+([^\s=>/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/y;

/** Splits HTML into text runs, tags and stray `<` characters. */
function tokenize(html: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let textStart = 0;
  const flushText = (end: number): void => {
    if (end > textStart) tokens.push({ kind: 'text', raw: html.slice(textStart, end), at: textStart });
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt < 0) break;
    flushText(lt);
    CLOSE_TAG.lastIndex = lt;
    const close = CLOSE_TAG.exec(html);
    if (close) {
      const name = (close[1] ?? '').toLowerCase();
      const hasAttrs = close[2] !== undefined && close[2].trim() !== '';
      tokens.push({ kind: 'close', name, hasAttrs, at: lt });
      i = textStart = CLOSE_TAG.lastIndex;
      continue;
    }
    OPEN_TAG.lastIndex = lt;
    const open = OPEN_TAG.exec(html);
    if (open) {
      const name = (open[1] ?? '').toLowerCase();
      const { attrs, error } = parseAttrs(open[2] ?? '');
      tokens.push({ kind: 'open', name, attrs, attrError: error, selfClosing: open[3] === '/', at: lt });
      i = textStart = OPEN_TAG.lastIndex;
      continue;
    }
    tokens.push({ kind: 'lt', at: lt });
    i = textStart = lt + 1;
  }
  flushText(html.length);
  return tokens;
}

function parseAttrs(source: string): { attrs: Attr[]; error: string | null } {
  const attrs: Attr[] = [];
  let pos = 0;
  while (pos < source.length) {
    ATTR.lastIndex = pos;
    const m = ATTR.exec(source);
    if (!m) {
      if (source.slice(pos).trim() === '') break;
      return { attrs, error: `cannot parse attributes ${JSON.stringify(source.slice(pos))}` };
    }
    const name = (m[1] ?? '').toLowerCase();
    if (m[2] !== undefined) attrs.push({ name, value: m[2], quoted: true });
    else if (m[3] !== undefined) attrs.push({ name, value: m[3], quoted: true });
    else if (m[4] !== undefined) attrs.push({ name, value: m[4], quoted: false });
    else attrs.push({ name, value: null, quoted: false });
    pos = ATTR.lastIndex;
  }
  return { attrs, error: null };
}

const ENTITY = /&(?:([A-Za-z][A-Za-z0-9]*)|#([0-9]+)|#[xX]([0-9A-Fa-f]+));/y;

/**
 * Decodes the entities of a text run. Problems (bare `&`, unknown entities, invalid
 * code points) are pushed to `problems` when given; the undecodable part is kept as is.
 */
function decodeEntities(raw: string, at: number, problems?: string[], where = 'text'): string {
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const amp = raw.indexOf('&', i);
    if (amp < 0) {
      out += raw.slice(i);
      break;
    }
    out += raw.slice(i, amp);
    ENTITY.lastIndex = amp;
    const m = ENTITY.exec(raw);
    if (!m) {
      problems?.push(`at ${at + amp}: bare '&' in ${where} must be written as &amp;`);
      out += '&';
      i = amp + 1;
      continue;
    }
    i = ENTITY.lastIndex;
    if (m[1] !== undefined) {
      const decoded = NAMED_ENTITIES[m[1]];
      if (decoded === undefined) {
        problems?.push(`at ${at + amp}: unsupported entity ${m[0]} in ${where} (only &lt; &gt; &amp; &quot; and numeric entities)`);
        out += m[0];
      } else {
        out += decoded;
      }
      continue;
    }
    const code = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(m[3] ?? '', 16);
    if (!Number.isSafeInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      problems?.push(`at ${at + amp}: numeric entity ${m[0]} is not a valid character`);
      out += m[0];
    } else {
      out += String.fromCodePoint(code);
    }
  }
  return out;
}

/** The text Telegram shows: tags removed, entities decoded, stray characters kept. */
function visibleText(html: string): string {
  let out = '';
  for (const t of tokenize(html)) {
    if (t.kind === 'text') out += decodeEntities(t.raw, t.at);
    else if (t.kind === 'lt') out += '<';
  }
  return out;
}

interface Frame {
  name: string;
  at: number;
  /** For pre: whether a code child was opened. */
  hasCode: boolean;
  /** For pre: whether non-whitespace text appeared directly inside. */
  hasText: boolean;
}

function attrProblems(tok: Extract<Token, { kind: 'open' }>, parent: Frame | undefined): string[] {
  const out: string[] = [];
  const here = `at ${tok.at}: <${tok.name}>`;
  if (tok.attrError) out.push(`${here} ${tok.attrError}`);
  const seen = new Set<string>();
  for (const a of tok.attrs) {
    if (seen.has(a.name)) out.push(`${here} has duplicate attribute ${a.name}`);
    seen.add(a.name);
    if (a.value !== null && !a.quoted) out.push(`${here} attribute ${a.name} value must be quoted`);
    if (a.value !== null) decodeEntities(a.value, tok.at, out, `attribute ${a.name} of <${tok.name}>`);
  }
  const get = (name: string): Attr | undefined => tok.attrs.find((a) => a.name === name);
  const value = (name: string): string | null => {
    const a = get(name);
    return a?.value === undefined || a.value === null ? null : decodeEntities(a.value, tok.at);
  };
  const allowOnly = (...names: string[]): void => {
    for (const a of tok.attrs) {
      if (!names.includes(a.name)) out.push(`${here} does not allow attribute ${a.name}`);
    }
  };
  switch (tok.name) {
    case 'span': {
      allowOnly('class');
      if (value('class') !== 'tg-spoiler') out.push(`${here} is only allowed as <span class="tg-spoiler">`);
      break;
    }
    case 'a': {
      allowOnly('href');
      const href = value('href');
      if (href === null || href.trim() === '') out.push(`${here} requires a non-empty href attribute`);
      break;
    }
    case 'tg-emoji': {
      allowOnly('emoji-id');
      const id = value('emoji-id');
      if (id === null || !/^[0-9]+$/.test(id)) out.push(`${here} requires a numeric emoji-id attribute`);
      break;
    }
    case 'code': {
      allowOnly('class');
      const cls = get('class');
      if (cls) {
        const v = value('class');
        if (parent?.name !== 'pre') out.push(`${here} may have a class only directly inside <pre>`);
        if (v === null || !/^language-\S+$/.test(v)) out.push(`${here} class must be "language-<name>"`);
      }
      break;
    }
    case 'blockquote': {
      allowOnly('expandable');
      const ex = get('expandable');
      if (ex && ex.value !== null) out.push(`${here} expandable is a boolean attribute and takes no value`);
      break;
    }
    default:
      allowOnly();
  }
  return out;
}

/**
 * Checks a string meant to be sent with `parse_mode: 'HTML'` against the Bot API's
 * HTML-style rules and returns every problem found (an empty list means valid).
 *
 * Reported: unsupported tags and attributes (span without class="tg-spoiler", a without
 * href, tg-emoji without emoji-id, …), unquoted or duplicate attributes, self-closing
 * tags, unclosed, stray or overlapping tags, a `<`, `>` or `&` in text that is not part
 * of a tag or of a supported entity (`&lt; &gt; &amp; &quot; &#NNN; &#xHH;`), nested
 * blockquotes, a link inside a link, tags inside code/pre other than one
 * `<pre><code class="language-…">` pairing, and a message with no visible text.
 */
export function validateTelegramHtml(html: string): string[] {
  const problems: string[] = [];
  const stack: Frame[] = [];
  const inside = (name: string): Frame | undefined => stack.find((f) => f.name === name);

  for (const tok of tokenize(html)) {
    const top = stack[stack.length - 1];
    switch (tok.kind) {
      case 'lt': {
        problems.push(`at ${tok.at}: '<' that does not start a tag must be written as &lt;`);
        break;
      }
      case 'text': {
        decodeEntities(tok.raw, tok.at, problems);
        for (let k = tok.raw.indexOf('>'); k >= 0; k = tok.raw.indexOf('>', k + 1)) {
          problems.push(`at ${tok.at + k}: '>' in text must be written as &gt;`);
        }
        if (top?.name === 'pre' && tok.raw.trim() !== '') {
          if (top.hasCode) problems.push(`at ${tok.at}: text after <code> inside <pre>; the pre must hold only the code`);
          top.hasText = true;
        }
        break;
      }
      case 'open': {
        const here = `at ${tok.at}: <${tok.name}>`;
        if (!ALLOWED_TAGS.has(tok.name)) {
          problems.push(`${here} is not a supported tag (must be escaped as &lt; if meant as text)`);
          break;
        }
        if (tok.selfClosing) {
          problems.push(`${here} must not be self-closing`);
          break;
        }
        problems.push(...attrProblems(tok, top));
        const code = inside('code');
        const pre = inside('pre');
        if (code) {
          problems.push(`${here} inside <code> (at ${code.at}): code content cannot be formatted`);
        } else if (pre) {
          const pairing = tok.name === 'code' && top === pre && !pre.hasCode && !pre.hasText;
          if (!pairing) problems.push(`${here} inside <pre> (at ${pre.at}): only a single <code> may be inside pre`);
          if (tok.name === 'code' && top === pre) pre.hasCode = true;
        }
        if (tok.name === 'blockquote') {
          const outer = inside('blockquote');
          if (outer) problems.push(`${here} nested inside <blockquote> (at ${outer.at}): blockquotes cannot be nested`);
        }
        if (tok.name === 'a') {
          const outer = inside('a');
          if (outer) problems.push(`${here} nested inside <a> (at ${outer.at}): links cannot be nested`);
        }
        stack.push({ name: tok.name, at: tok.at, hasCode: false, hasText: false });
        break;
      }
      case 'close': {
        const here = `at ${tok.at}: </${tok.name}>`;
        if (tok.hasAttrs) problems.push(`${here} closing tags take no attributes`);
        if (top?.name === tok.name) {
          stack.pop();
          break;
        }
        let depth = -1;
        for (let k = stack.length - 1; k >= 0; k--) {
          if (stack[k]?.name === tok.name) {
            depth = k;
            break;
          }
        }
        if (depth < 0) {
          problems.push(
            ALLOWED_TAGS.has(tok.name) ? `${here} closes a tag that is not open` : `${here} is not a supported tag (must be escaped as &lt; if meant as text)`,
          );
          break;
        }
        const crossed = stack.slice(depth + 1).map((f) => `<${f.name}> (at ${f.at})`);
        problems.push(`${here} overlaps ${crossed.join(', ')}: tags must be closed in reverse order`);
        stack.length = depth;
        break;
      }
    }
  }
  for (const f of stack) problems.push(`at ${f.at}: <${f.name}> is never closed`);
  if (visibleText(html).trim() === '') problems.push('message is empty: no visible text after removing tags');
  return problems;
}

/**
 * The length Telegram counts against its message (4096) and caption (1024) limits:
 * the HTML's text with tags removed and entities decoded, in UTF-16 code units.
 * Malformed input is measured leniently (a stray `<` or `&` counts as itself).
 */
export function visibleLength(html: string): number {
  return visibleText(html).length;
}

/** Length of a string in UTF-8 bytes. */
function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses a field that may be sent either as a JSON value or as a JSON string. */
function jsonField(v: unknown, where: string, problems: string[]): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    problems.push(`${where} is a string but not valid JSON`);
    return undefined;
  }
}

/** Checks a formatted text field (message text, caption) with its parse mode. */
function checkText(text: unknown, parseMode: unknown, where: string, limit: number, required: boolean, problems: string[]): void {
  if (text === undefined || text === null) {
    if (required) problems.push(`${where} is missing`);
    return;
  }
  if (typeof text !== 'string') {
    problems.push(`${where} must be a string, got ${typeof text}`);
    return;
  }
  const html = typeof parseMode === 'string' && parseMode.toLowerCase() === 'html';
  if (html) {
    const found = validateTelegramHtml(text);
    const emptyOk = !required;
    for (const p of found) {
      if (emptyOk && p.startsWith('message is empty')) continue;
      problems.push(`${where}: ${p}`);
    }
  } else if (required && text.trim() === '') {
    problems.push(`${where}: message is empty`);
  }
  const length = html ? visibleLength(text) : text.length;
  if (length > limit) problems.push(`${where} is ${length} characters long, over Telegram's limit of ${limit}`);
}

/** Checks every button of a reply_markup (object or JSON string). */
function checkReplyMarkup(markup: unknown, where: string, problems: string[]): void {
  if (markup === undefined || markup === null) return;
  const parsed = jsonField(markup, where, problems);
  if (parsed === undefined) return;
  if (!isRecord(parsed)) {
    problems.push(`${where} must be an object`);
    return;
  }
  const keyboard = parsed['inline_keyboard'];
  if (keyboard === undefined) return;
  if (!Array.isArray(keyboard)) {
    problems.push(`${where}.inline_keyboard must be an array of rows`);
    return;
  }
  keyboard.forEach((row: unknown, r) => {
    if (!Array.isArray(row)) {
      problems.push(`${where}.inline_keyboard[${r}] must be an array of buttons`);
      return;
    }
    row.forEach((button: unknown, c) => {
      const at = `${where}.inline_keyboard[${r}][${c}]`;
      if (!isRecord(button)) {
        problems.push(`${at} must be an object`);
        return;
      }
      const label = button['text'];
      if (typeof label !== 'string' || label.trim() === '') problems.push(`${at}.text must be a non-empty string`);
      const data = button['callback_data'];
      if (data === undefined) return;
      if (typeof data !== 'string') {
        problems.push(`${at}.callback_data must be a string`);
        return;
      }
      const bytes = utf8Bytes(data);
      if (bytes === 0) problems.push(`${at}.callback_data must not be empty`);
      if (bytes > MAX_CALLBACK_DATA_BYTES) {
        problems.push(`${at}.callback_data is ${bytes} bytes in UTF-8, over Telegram's limit of ${MAX_CALLBACK_DATA_BYTES}`);
      }
    });
  });
}

/** Checks the results of answerInlineQuery. */
function checkInlineResults(results: unknown, problems: string[]): void {
  const parsed = jsonField(results, 'results', problems);
  if (parsed === undefined) {
    if (results === undefined) problems.push('results is missing');
    return;
  }
  if (!Array.isArray(parsed)) {
    problems.push('results must be an array');
    return;
  }
  if (parsed.length > MAX_INLINE_RESULTS) {
    problems.push(`results has ${parsed.length} entries, over Telegram's limit of ${MAX_INLINE_RESULTS}`);
  }
  const ids = new Set<string>();
  parsed.forEach((result: unknown, n) => {
    const at = `results[${n}]`;
    if (!isRecord(result)) {
      problems.push(`${at} must be an object`);
      return;
    }
    const id = result['id'];
    if (typeof id !== 'string' || id === '') {
      problems.push(`${at}.id must be a non-empty string`);
    } else {
      const bytes = utf8Bytes(id);
      if (bytes > MAX_INLINE_RESULT_ID_BYTES) {
        problems.push(`${at}.id is ${bytes} bytes in UTF-8, over Telegram's limit of ${MAX_INLINE_RESULT_ID_BYTES}`);
      }
      if (ids.has(id)) problems.push(`${at}.id ${JSON.stringify(id)} is used by an earlier result`);
      ids.add(id);
    }
    const content = result['input_message_content'];
    if (isRecord(content) && 'message_text' in content) {
      checkText(content['message_text'], content['parse_mode'], `${at}.input_message_content.message_text`, MAX_MESSAGE_LENGTH, true, problems);
    }
    if ('caption' in result) {
      checkText(result['caption'], result['parse_mode'], `${at}.caption`, MAX_CAPTION_LENGTH, false, problems);
    }
    checkReplyMarkup(result['reply_markup'], `${at}.reply_markup`, problems);
  });
}

/**
 * Checks one Bot API request as the bot sent it (method name and JSON payload) and
 * returns every problem that would make the real Bot API reject it:
 * - `text` (sendMessage, editMessageText, …): HTML validity when `parse_mode` is HTML,
 *   non-empty, at most 4096 UTF-16 units of visible text; `caption`: the same with 1024;
 * - answerCallbackQuery `text`: at most 200 characters;
 * - `reply_markup` (object or JSON string): every inline button has a label and a
 *   `callback_data` of 1–64 UTF-8 bytes;
 * - answerInlineQuery `results` (array or JSON string): at most 50, unique ids of at
 *   most 64 bytes, and each `input_message_content.message_text` checked like `text`.
 */
export function checkOutgoing(method: string, payload: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const m = method.toLowerCase();
  if (m === 'answercallbackquery') {
    const text = payload['text'];
    if (text !== undefined && text !== null) {
      if (typeof text !== 'string') problems.push('text must be a string');
      else if (text.length > MAX_CALLBACK_ANSWER_LENGTH) {
        problems.push(`text is ${text.length} characters long, over Telegram's limit of ${MAX_CALLBACK_ANSWER_LENGTH}`);
      }
    }
  } else {
    const required = m === 'sendmessage' || m === 'editmessagetext';
    if (required || 'text' in payload) {
      checkText(payload['text'], payload['parse_mode'], 'text', MAX_MESSAGE_LENGTH, true, problems);
    }
    if ('caption' in payload) {
      checkText(payload['caption'], payload['parse_mode'], 'caption', MAX_CAPTION_LENGTH, false, problems);
    }
  }
  if (m === 'answerinlinequery') checkInlineResults(payload['results'], problems);
  checkReplyMarkup(payload['reply_markup'], 'reply_markup', problems);
  return problems;
}
