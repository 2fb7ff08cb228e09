import crypto from 'node:crypto';
import { ExpiringMap } from '../expiring-map.js';

/** What the buttons under an answer need to act later: the question and the passages found. */
export interface StoredAnswer {
  question: string;
  /** Index positions of the hits, best first, in the index that answered. */
  hits: number[];
  /** The id of each hit's passage, to check the index was not swapped underneath. */
  ids: string[];
  /** How many hits have been shown so far. */
  shown: number;
}

/**
 * Answers kept in memory for their buttons, under short random keys (callback
 * data is at most 64 bytes, so it carries a key, never text). Bounded in size
 * and age: a button pressed after a restart or expiry finds nothing and gets a
 * polite reply.
 */
export class AnswerStore {
  private readonly entries: ExpiringMap<StoredAnswer>;

  constructor(capacity = 5000, ttlMs = 24 * 60 * 60 * 1000, now: () => number = Date.now) {
    this.entries = new ExpiringMap(ttlMs, capacity, now);
  }

  /** Stores an answer; returns its key (10 URL-safe characters). */
  put(answer: StoredAnswer): string {
    const key = crypto.randomBytes(8).toString('base64url').slice(0, 10);
    this.entries.set(key, { ...answer });
    return key;
  }

  /** The answer under a key, or undefined when unknown or expired. */
  get(key: string): StoredAnswer | undefined {
    return this.entries.get(key);
  }
}

/** Button actions, encoded compactly as `<action>:<key>[:<arg>]`. */
export type ButtonAction = { action: 'more' | 'context'; key: string } | { action: 'vote'; key: string; up: boolean };

const CODES = { more: 'm', context: 'c', vote: 'v' } as const;

/** Encodes a button's callback data (always well under 64 bytes). */
export function encodeAction(action: ButtonAction): string {
  const base = `${CODES[action.action]}:${action.key}`;
  return action.action === 'vote' ? `${base}:${action.up ? '+' : '-'}` : base;
}

/** Decodes callback data; anything malformed or tampered with is undefined. */
export function decodeAction(data: string): ButtonAction | undefined {
  const m = /^([mcv]):([A-Za-z0-9_-]{10})(?::([+-]))?$/u.exec(data);
  if (!m) return undefined;
  const [, code, key, sign] = m;
  if (code === 'v') return sign ? { action: 'vote', key: key!, up: sign === '+' } : undefined;
  if (sign) return undefined;
  return { action: code === 'm' ? 'more' : 'context', key: key! };
}
