import type { Topic } from '../search/followup.js';

/** How long a chat remembers its topic without a new question, by default. */
export const DEFAULT_CONTEXT_TTL_MINUTES = 30;

/** How many chats' topics are kept at most; the least recently used go first. */
export const DEFAULT_MAX_CHATS = 10_000;

/**
 * What each chat was last about, in memory: bounded (least recently used
 * chats are forgotten first) and timed out (a topic older than the TTL is
 * gone). A restart forgets every topic, which costs a user one complete
 * question, nothing more.
 */
export class ConversationStore {
  private readonly topics = new Map<string, { topic: Topic; at: number }>();

  constructor(
    private readonly ttlMs = DEFAULT_CONTEXT_TTL_MINUTES * 60_000,
    private readonly capacity = DEFAULT_MAX_CHATS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The chat's topic, or null when it has none or it timed out. */
  get(key: string): Topic | null {
    const entry = this.topics.get(key);
    if (!entry) return null;
    if (this.now() - entry.at > this.ttlMs) {
      this.topics.delete(key);
      return null;
    }
    // Map order is the recency order: touching moves it to the end.
    this.topics.delete(key);
    this.topics.set(key, entry);
    return entry.topic;
  }

  /** Remembers what the chat is about now. */
  set(key: string, topic: Topic): void {
    this.topics.delete(key);
    this.topics.set(key, { topic, at: this.now() });
    while (this.topics.size > this.capacity) this.topics.delete(this.topics.keys().next().value as string);
  }

  /** Forgets the chat's topic (`/new`, `重新开始`). */
  clear(key: string): void {
    this.topics.delete(key);
  }

  /** Chats remembered right now. */
  get size(): number {
    return this.topics.size;
  }
}
