/** Escapes text for Telegram's HTML parse mode: only `&`, `<` and `>` need it (and `"` inside attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;').replace(/"/gu, '&quot;');
}

/** Telegram's limit on a message's text, counted after entities are parsed, in UTF-16 units. */
export const MESSAGE_LIMIT = 4096;

/** The text Telegram counts: tags removed, entities decoded. */
export function visibleLength(html: string): number {
  return html.replace(/<[^>]*>/gu, '').replace(/&(lt|gt|amp|quot);/gu, 'x').length;
}

/**
 * Packs blocks (each a well-formed HTML fragment, e.g. one quote with its
 * source) into as few messages as fit the limit, splitting only between blocks,
 * so no tag or character is ever cut. A single block over the limit is cut by
 * the caller beforehand (see `clipText`).
 */
export function packMessages(blocks: readonly string[], separator = '\n\n', limit = MESSAGE_LIMIT): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks) {
    const candidate = current ? current + separator + block : block;
    if (current && visibleLength(candidate) > limit) {
      messages.push(current);
      current = block;
    } else {
      current = candidate;
    }
  }
  if (current) messages.push(current);
  return messages;
}

/** Cuts plain text to at most `max` UTF-16 units without splitting a surrogate pair, marking the cut. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (/[\uD800-\uDBFF]/u.test(text[end - 1] ?? '')) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** The text a reader sees of Telegram HTML: tags removed, entities decoded. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/gu, '')
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&quot;/gu, '"')
    .replace(/&amp;/gu, '&');
}
