/**
 * Just enough IDSync for the web SDK: every identify/login/logout answers 200 with an MPID (a decimal
 * string: a JSON number makes the SDK throw). The MPID is derived from the identities, so the same
 * user gets the same MPID across reloads, and an anonymous device keeps its own.
 */
import { isObject, own } from '../plan/index.js';

/** FNV-1a, 64 bit, folded into a positive signed-64 range, as a decimal string. */
export function mpidFor(seed: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < seed.length; i++) {
    h ^= BigInt(seed.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  const n = h & 0x7fffffffffffffffn;
  return (n === 0n ? 1n : n).toString();
}

const LOGIN_IDS = ['customerid', 'email', 'other', 'mobile_number'];

export interface IdentityAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Answer `identify`, `login`, `logout` or `modify` (with the MPID from the path). */
export function identityAnswer(kind: 'identify' | 'login' | 'logout' | 'modify', body: unknown, pathMpid?: string): IdentityAnswer {
  if (kind === 'modify') return { status: 200, body: { change_results: [], mpid: pathMpid ?? '0' } };
  const known = isObject(body) && isObject(own(body, 'known_identities')) ? (own(body, 'known_identities') as Record<string, unknown>) : {};
  const matched: Record<string, string> = {};
  if (kind !== 'logout') {
    for (const [k, v] of Object.entries(known)) if (k !== 'device_application_stamp' && typeof v === 'string' && v !== '') matched[k] = v;
  }
  const login = LOGIN_IDS.find((k) => matched[k] !== undefined);
  const stamp = typeof known.device_application_stamp === 'string' ? known.device_application_stamp : 'anonymous';
  const mpid = login ? mpidFor(`${login}:${matched[login]}`) : mpidFor(`device:${stamp}`);
  return {
    status: 200,
    body: { context: null, matched_identities: matched, is_ephemeral: false, mpid, is_logged_in: login !== undefined },
  };
}
