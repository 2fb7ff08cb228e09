/**
 * How well the corpus can match a Chinese term: 2 when its vocabulary has the
 * term, 1 when the term splits wholly into vocabulary terms of two or more
 * characters (single characters would let any word through; the caller
 * tokenises what it gets, so 政府工作报告 still finds 政府 工作 报告), else 0.
 * An empty vocabulary supports everything with 1.
 */
export function supportOf(term: string, vocabulary: ReadonlySet<string>): number {
  if (vocabulary.size === 0) return 1;
  if (vocabulary.has(term)) return 2;
  const ok: boolean[] = [true];
  for (let end = 2; end <= term.length; end++) {
    ok[end] = false;
    for (let start = Math.max(0, end - 6); start <= end - 2 && !ok[end]; start++) {
      ok[end] = ok[start] === true && vocabulary.has(term.slice(start, end));
    }
  }
  return ok[term.length] ? 1 : 0;
}
