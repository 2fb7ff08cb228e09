/**
 * Marks character spans of text for a terminal: ANSI bold on a terminal,
 * `**…**` in a pipe or file, so the answering sentences stand out either way.
 */
export function markSpans(text: string, spans: ReadonlyArray<readonly [number, number]>, ansi: boolean): string {
  const [open, close] = ansi ? ['\u001b[1m', '\u001b[0m'] : ['**', '**'];
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (start < at) continue;
    out += text.slice(at, start) + open + text.slice(start, end) + close;
    at = end;
  }
  return out + text.slice(at);
}
