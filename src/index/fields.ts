import type { Passage } from '../ingest/types.js';

/** bge-small reads at most 512 tokens (about one per Chinese character); past that it silently truncates. */
const EMBED_LIMIT = 500;

/**
 * What the dense side embeds for a passage: its document title and nearest
 * headings in front of its text, so a passage that says "本方案" is still found
 * by the plan's name.
 */
export function embedText(passage: Passage): string {
  const context = [passage.title, passage.section.slice(-2).join(' '), passage.header ?? ''].filter(Boolean).join('\n');
  return `${context}\n${passage.text}`.slice(0, EMBED_LIMIT);
}

/** What the keyword side counts for a passage: the same context, without a length limit. */
export function keywordText(passage: Passage): string {
  return [passage.title, ...passage.section, passage.header ?? '', passage.text].filter(Boolean).join('\n');
}
