import { load, loadBuffer, type CheerioAPI } from 'cheerio';
import { isTag, isText, type AnyNode, type Element } from 'domhandler';
import type { ExtractedText } from './types.js';

/** Elements that end a line of text. */
const BLOCKS = new Set(
  'address article aside blockquote body caption center dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table tbody thead tfoot ul'.split(
    ' ',
  ),
);

/** Never text: code, styles, embedded objects, controls. */
const NEVER_TEXT = 'script, style, noscript, template, iframe, object, embed, svg, canvas, select, button, input, textarea, form';

/** Site chrome by its semantic tag or role: menus, page header and footer, sidebars. */
const CHROME_TAGS = 'nav, header, footer, aside, [role=navigation], [role=banner], [role=contentinfo], [role=complementary], [role=search]';

/**
 * Site chrome by class or id, as government sites name it in English or pinyin
 * initials: menus, breadcrumbs (当前位置, dqwz), sidebars, related news (相关新闻,
 * xgxw), footers, share and print tools, previous/next links.
 */
const CHROME_NAME =
  /(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|dqwz|location|position|side|sidebar|right|related|xgxw|xgwz|recommend|footer|foot|bottom|copyright|share|print|tools?|pages|prev|next|comment|search|top|logo|banner|ads?)($|[\s_-]|\d)/iu;

/**
 * Lines that are site furniture whatever the markup: breadcrumbs, copyright and
 * registration lines (版权所有, ICP备案号, 公网安备), an article's view counter and
 * font-size switch, previous/next and share links.
 */
const CHROME_LINE = /版权所有|ICP备|公网安备|网站标识码|^当前位置[:：]|^您的位置[:：]|^(上一篇|下一篇)[:：]|^分享到|浏览次数|【字体[:：]|打印本页|关闭窗口/u;

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’《》]/u;

/**
 * Collapses markup white space: a line break between Chinese characters is the
 * page source's, not the text's (nothing); any other run is one space.
 */
function tidy(text: string): string {
  return text
    .replace(/[ \t\r\n\f]+/gu, (space, at: number, all: string) =>
      space.includes('\n') && CJK.test(all[at - 1] ?? '') && CJK.test(all[at + space.length] ?? '') ? '' : ' ',
    )
    .trim();
}

/** Word's text is the text: its spaces and tabs are kept as typed, only the ends trimmed. */
function asTyped(text: string): string {
  return text.replace(/^[ \r\n]+|[ \r\n]+$/gu, '');
}

/** A line being collected, with how much of it is link text (menus and link lists are mostly links). */
interface Pending {
  text: string;
  linked: number;
}

/**
 * The text of an element as lines: each block element and `<br>` ends a line, a
 * table row is one line with its cells separated by tabs (as in the plain-text
 * tables), and a line that is mostly link text (a menu, a list of related
 * articles, previous/next links) is left out.
 */
export function blockLines($: CheerioAPI, root: AnyNode, markup = true): string[] {
  const clean = markup ? tidy : asTyped;
  const lines: string[] = [];
  let pending: Pending = { text: '', linked: 0 };
  const flush = (): void => {
    const text = clean(pending.text);
    const linkShare = pending.linked / Math.max(1, pending.text.replace(/\s+/gu, '').length);
    if (text && linkShare < 0.5 && !CHROME_LINE.test(text)) lines.push(text);
    pending = { text: '', linked: 0 };
  };
  const walk = (node: AnyNode, inLink: boolean): void => {
    if (isText(node)) {
      pending.text += node.data;
      if (inLink) pending.linked += node.data.replace(/\s+/gu, '').length;
      return;
    }
    if (!isTag(node)) return;
    const el = node;
    const tag = el.tagName.toLowerCase();
    if (tag === 'br') return flush();
    if (tag === 'tr') {
      flush();
      const cells = $(el)
        .children('td, th')
        .toArray()
        .map((cell) => tidy($(cell).text()).replace(/\t/gu, ' '));
      const row = cells.join('\t').replace(/\t+$/u, '');
      if (row.trim()) lines.push(row);
      return;
    }
    const block = BLOCKS.has(tag);
    if (block) flush();
    for (const child of el.children) walk(child, inLink || tag === 'a');
    if (block) flush();
  };
  walk(root, false);
  flush();
  return lines;
}

/**
 * The element holding the article: the one whose own paragraphs hold the most
 * text, widened to the nearest ancestor that also holds the page's headline
 * (`<h1>`) so the title stays with its text.
 */
function mainContent($: CheerioAPI): AnyNode {
  const score = new Map<Element, number>();
  $('body p, body div, body td').each((_, el) => {
    const own = $(el)
      .contents()
      .toArray()
      .map((child) => (isText(child) ? child.data : ''))
      .join('')
      .replace(/\s+/gu, '').length;
    const parent = el.tagName.toLowerCase() === 'p' ? el.parent : el;
    if (parent && isTag(parent) && own > 0) score.set(parent, (score.get(parent) ?? 0) + own);
  });
  const body = $('body')[0] ?? $.root()[0]!;
  const best = [...score].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!best) return body;
  let main: Element = best;
  const headline = $('h1').first()[0];
  if (headline && !$(main).find(headline).length) {
    let up: Element | null = main;
    while (up && up !== body && !$(up).find(headline).length) up = up.parent && isTag(up.parent) ? up.parent : null;
    if (up && up !== body) main = up;
  }
  return main;
}

/** Removes everything that is never the document: scripts, controls, menus, breadcrumbs, sidebars, footers. */
function stripChrome($: CheerioAPI): void {
  $(NEVER_TEXT).remove();
  $(CHROME_TAGS).remove();
  $('[class], [id]').each((_, el) => {
    if (CHROME_NAME.test(`${$(el).attr('class') ?? ''} ${$(el).attr('id') ?? ''}`)) $(el).remove();
  });
}

/**
 * Reads the main content of a web page into lines: site chrome (menus,
 * breadcrumbs, related-news sidebars, footers with 版权所有 and ICP备案号) is
 * removed, headings and paragraphs become lines the structure step reads like
 * a text file's. The page's encoding (UTF-8, GBK, …) is read from the page.
 */
export function extractHtml(buffer: Buffer): ExtractedText {
  const $ = loadBuffer(buffer);
  stripChrome($);
  return { format: 'html', lines: blockLines($, mainContent($)) };
}

/** The lines of an HTML fragment (what mammoth makes of a Word file): every block a line, nothing removed, spaces kept as typed. */
export function fragmentLines(html: string): string[] {
  const $ = load(html);
  return blockLines($, $('body')[0] ?? $.root()[0]!, false);
}
