/** Near-miss suggestions: the same name under another event type, another case or spacing, a close spelling. */
import { type KeyMap, type MatchKey, closest, formatMatchKey } from '../plan/index.js';
import type { Suggestion } from './violation.js';

export function suggestEvent<T>(index: KeyMap<T>, key: MatchKey): Suggestion | undefined {
  const planned = [...index.keysOfType(key.type)];
  if (key.type === 'custom_event') {
    const sameName = planned.find((k) => k.name === key.name && k.sub !== key.sub);
    if (sameName) return { key: sameName.name, match_key: formatMatchKey(sameName), custom_event_type: sameName.sub, reason: 'other_event_type' };
  }
  if (planned.length === 0) return undefined;
  const field = key.type === 'application_state_transition' ? 'sub' : 'name';
  // Prefer a near name under the same custom event type, then any.
  const sameSub = key.type === 'custom_event' ? planned.filter((k) => k.sub === key.sub) : planned;
  for (const pool of [sameSub, planned]) {
    const best = closest(key[field], pool.map((k) => k[field]));
    if (best) {
      const hit = pool.find((k) => k[field] === best.value)!;
      return {
        key: best.value,
        match_key: formatMatchKey(hit),
        ...(hit.type === 'custom_event' ? { custom_event_type: hit.sub } : {}),
        reason: best.nearness,
      };
    }
  }
  return undefined;
}

export function suggestKey(key: string, planned: Iterable<string>): Suggestion | undefined {
  const best = closest(key, planned);
  return best && { key: best.value, reason: best.nearness };
}
