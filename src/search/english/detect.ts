/**
 * Whether a question should be translated: mostly Latin letters and at least
 * two English words, so a Chinese question that mentions "GDP" or "5G" stays
 * Chinese.
 */
export function isEnglishQuestion(text: string): boolean {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]/gu)?.length ?? 0;
  const words = text.match(/[A-Za-z]{2,}/gu)?.length ?? 0;
  return letters > 0 && latin / letters > 0.5 && words >= 2;
}
