/**
 * The small, hand-kept part of the noise filter: strings that no general rule can
 * tell from real text. Everything else (mastheads, editorial boards, tables of
 * contents) is found by the rules in `noise.ts`. Add to these lists only what was
 * seen in real files, with a note of where.
 */

/**
 * Spam glued onto the end of lines (seen on headings of the 2017 work report,
 * `一、本届政府及2016年工作回顾侯卫东官场笔记`, `四、加强政府自身建设二号首长`).
 * Stripped only where a line ends with them, because `首长` is also a real word.
 */
export const SPAM_SUFFIXES: readonly string[] = ['侯卫东官场笔记', '二号首长'];

/**
 * Whole lines that are page furniture, not text (seen at the end of the mayor's
 * interview: the column label `市长说` and the series label `（第二季）`).
 */
export const NOISE_LINES: readonly string[] = ['市长说', '（第二季）'];
