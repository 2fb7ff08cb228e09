import * as OpenCC from 'opencc-js/t2cn';

// opencc-js's bundled types do not resolve under NodeNext; this is its documented signature.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
const toSimplified: (text: string) => string = OpenCC.Converter({ from: 't', to: 'cn' });

/** Text in Simplified characters, nothing else changed (三門峽 → 三门峡). */
export function simplified(text: string): string {
  return toSimplified(text);
}

const CJK = '\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
/** Whitespace touching a CJK character carries no meaning ("国道 310" is "国道310"). */
const SPACE_NEXT_TO_CJK = new RegExp(`\\s+(?=[${CJK}])|(?<=[${CJK}])\\s+`, 'gu');

/**
 * The form text takes for indexing and matching only, never for display:
 * full-width to half-width (NFKC), Traditional to Simplified, lower case, and
 * spacing made uniform, so "國道 ３１０" and "国道310" meet.
 */
export function normalizeForIndex(text: string): string {
  return toSimplified(text.normalize('NFKC')).toLowerCase().replace(SPACE_NEXT_TO_CJK, '').replace(/\s+/gu, ' ').trim();
}

/** Text with all white space removed: how quotes are compared with their source lines. */
export function compact(text: string): string {
  return text.replace(/\s+/gu, '');
}
