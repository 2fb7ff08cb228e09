import type { Passage } from '../ingest/types.js';

/**
 * A document's card: the passages quoting the lines that say what it is (its
 * header with 文号 or date note, byline, signature and date), in source order.
 * A plan issued by a `关于印发X的通知` notice shares the notice's lines: they
 * are its 文号 and date too.
 */
export class DocumentCards {
  private readonly byTitle = new Map<string, number[]>();

  constructor(private readonly passages: readonly Passage[]) {
    passages.forEach((p, i) => {
      if (p.kind !== 'meta') return;
      const key = `${p.file}\u0000${p.title}`;
      this.byTitle.set(key, [...(this.byTitle.get(key) ?? []), i]);
    });
  }

  /** Indexes of the card's passages for the document a passage belongs to (empty when it has none). */
  cardOf(passage: Passage): number[] {
    const own = this.byTitle.get(`${passage.file}\u0000${passage.title}`) ?? [];
    const issuing = [...this.byTitle.entries()]
      .filter(([key]) => key.startsWith(`${passage.file}\u0000`) && key.includes(`印发${passage.title}`))
      .flatMap(([, indexes]) => indexes);
    return [...new Set([...own, ...issuing])].sort((a, b) => this.passages[a]!.lines[0] - this.passages[b]!.lines[0]);
  }
}
