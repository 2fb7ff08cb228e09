import { ExpiringMap } from '../expiring-map.js';
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
  private readonly topics: ExpiringMap<Topic>;

  constructor(ttlMs = DEFAULT_CONTEXT_TTL_MINUTES * 60_000, capacity = DEFAULT_MAX_CHATS, now: () => number = Date.now) {
    this.topics = new ExpiringMap(ttlMs, capacity, now, true);
  }

  /** The chat's topic, or null when it has none or it timed out. */
  get(key: string): Topic | null {
    return this.topics.get(key) ?? null;
  }

  /** Remembers what the chat is about now. */
  set(key: string, topic: Topic): void {
    this.topics.set(key, topic);
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
