/**
 * Shapes of lines in Chinese government documents, shared by the cleaning and
 * structure steps. Each is matched against a line with its white space removed
 * (see `compact`) unless its name says otherwise, because the sources space
 * characters freely ("通 知", "2020 年 3 月").
 */

/** Ends a sentence or clause for the purpose of line joining. */
export const TERMINAL = /[。！？；：!?;:…]$|[。！？][”’」』）)]$/u;

/** A date standing alone: `2020年3月24日`. */
export const DATE_LINE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/u;

/** Any date inside a line, for titles and subtitles. */
export const DATE_IN_TEXT = /(\d{4})年(\d{1,2})月(\d{1,2})日/u;

/** A speech's date note right under its title: `(2020年3月10日，根据录音整理)`. */
export const SPEECH_DATE = /^[（(]\d{4}年\d{1,2}月\d{1,2}日[，,][^)）]*[)）]$/u;

/** An official document number on its own line: `三政办〔2020〕4号`. */
export const DOC_NUMBER = /^[\u4e00-\u9fff]{1,8}[〔[［(（]\d{4}[〕\]］)）]\d+号$/u;

/** A policy explanation's title: `《…》解读`. */
export const EXPLANATION_TITLE = /^《.+》解读$/u;

/** A report's subtitle: `——2020年5月14日在…会议上`. */
export const REPORT_SUBTITLE = /^——\d{4}年\d{1,2}月\d{1,2}日.*会议上$/u;

/** A table-of-contents entry: a title, then a tab or space, then a page number. Matched on the raw line. */
export const TOC_ENTRY = /^([^\t]{6,}?)[\t ]+(\d{1,3})$/u;

/** A category label in a gazette's contents: `【市政府文件】`. */
export const CATEGORY_LABEL = /^【[^】]{2,12}】$/u;

/** An interviewer's question: `记者：…`. */
export const QUESTION = /^(记者|问)[:：]/u;

/** A named speaker's turn: `安伟：…`. */
export const SPEAKER = /^[\u4e00-\u9fff]{2,4}[:：]/u;

/** A continuation marker of a table split over pages: `续表一`. */
export const TABLE_CONTINUED = /^续表[一二三四五六七八九十\d]*$/u;

/**
 * Heading numbering, outermost first; the index is the heading's rank.
 * `第一句话，` and `第一，` are how speeches number their points, `第四条` how
 * rules number their articles; an attachment
 * (`附件：…一览表`) starts afresh, outside the headings of the text it follows.
 */
export const HEADING_MARKERS: readonly RegExp[] = [
  /^第[一二三四五六七八九十百]+[章编]|^附件/u,
  /^[一二三四五六七八九十百]+、|^第[一二三四五六七八九十]+(句话)?[，,、]|^第[一二三四五六七八九十百]+条(?![款项例])/u,
  /^[（(][一二三四五六七八九十]+[)）]/u,
  /^\d{1,2}[.．、](?!\d)/u,
  /^[（(]\d{1,2}[)）]/u,
];

/** Rank of a heading with no numbering (a short label line): below every numbered one. */
export const LABEL_RANK = HEADING_MARKERS.length;

/** Rank of an interview question used as context for the answer paragraphs below it. */
export const QUESTION_RANK = LABEL_RANK + 1;
