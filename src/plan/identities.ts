/**
 * Identity names: plans use IDSync names (`customerid`, `other2`, `ios_idfa`), batches use
 * Events API keys (`customer_id`, `other_id_2`, `device_info.ios_advertising_id`).
 */
import { isObject, own } from './json.js';

/** IDSync name → Events API `user_identities` key. */
const USER_IDENTITY_KEYS: Record<string, string> = {
  customerid: 'customer_id',
  email: 'email',
  other: 'other',
  mobile_number: 'mobile_number',
  phone_number_2: 'phone_number_2',
  phone_number_3: 'phone_number_3',
  facebook: 'facebook',
  twitter: 'twitter',
  google: 'google',
  microsoft: 'microsoft',
  yahoo: 'yahoo',
  facebookcustomaudienceid: 'facebook_custom_audience_id',
  alias: 'alias',
};
for (let i = 2; i <= 10; i++) USER_IDENTITY_KEYS[`other${i}`] = `other_id_${i}`;

/** IDSync name → `device_info` key. */
const DEVICE_IDENTITY_KEYS: Record<string, string> = {
  ios_idfa: 'ios_advertising_id',
  ios_idfv: 'ios_idfv',
  android_aaid: 'android_advertising_id',
  android_uuid: 'android_uuid',
  push_token: 'push_token',
  roku_aid: 'roku_advertising_id',
  roku_publisher_id: 'roku_publisher_id',
  fire_aid: 'fire_advertising_id',
  microsoft_aid: 'microsoft_advertising_id',
  microsoft_publisher_id: 'microsoft_publisher_id',
  amp_id: 'amp_id',
};

const BATCH_TO_IDSYNC = new Map<string, string>();
for (const [idsync, batch] of Object.entries(USER_IDENTITY_KEYS)) BATCH_TO_IDSYNC.set(batch, idsync);
// The Node server SDK writes `customerid` straight into user_identities.
BATCH_TO_IDSYNC.set('customerid', 'customerid');

const ALIASES = new Map<string, string>();
for (const [idsync, batch] of Object.entries(USER_IDENTITY_KEYS)) ALIASES.set(batch, idsync);
for (const [idsync, dev] of Object.entries(DEVICE_IDENTITY_KEYS)) ALIASES.set(dev, idsync);
ALIASES.set('mp_deviceid', 'device_application_stamp');
ALIASES.set('das', 'device_application_stamp');

/** The IDSync name for a key written in a plan (plans may use either spelling). */
export function canonicalIdentityName(planKey: string): string {
  return ALIASES.get(planKey) ?? planKey;
}

export interface BatchIdentity {
  /** IDSync name, e.g. `customerid`. */
  name: string;
  /** Where it sits in the batch, e.g. `user_identities.customer_id`, `device_info.ios_advertising_id`, `mp_deviceid`. */
  batchKey: string;
  value: unknown;
}

/** Every identity a batch carries, under IDSync names. Null values are absent. */
export function batchIdentities(batch: Record<string, unknown>): BatchIdentity[] {
  const out: BatchIdentity[] = [];
  const ui = own(batch, 'user_identities');
  if (isObject(ui)) {
    for (const key of Object.keys(ui)) {
      const value = ui[key];
      if (value === null || value === undefined) continue;
      out.push({ name: BATCH_TO_IDSYNC.get(key) ?? key, batchKey: key, value });
    }
  }
  const di = own(batch, 'device_info');
  if (isObject(di)) {
    for (const [name, key] of Object.entries(DEVICE_IDENTITY_KEYS)) {
      const value = own(di, key);
      if (value === null || value === undefined) continue;
      out.push({ name, batchKey: `device_info.${key}`, value });
    }
  }
  const das = own(batch, 'mp_deviceid');
  if (das !== null && das !== undefined) out.push({ name: 'device_application_stamp', batchKey: 'mp_deviceid', value: das });
  return out;
}

/** Where an identity (by IDSync name) sits in a batch. */
export function identityLocation(idsyncName: string): { container: 'user_identities' | 'device_info' | 'batch'; keys: string[] } {
  if (idsyncName === 'device_application_stamp') return { container: 'batch', keys: ['mp_deviceid'] };
  const dev = DEVICE_IDENTITY_KEYS[idsyncName];
  if (dev) return { container: 'device_info', keys: [dev] };
  const ui = USER_IDENTITY_KEYS[idsyncName];
  if (ui) return { container: 'user_identities', keys: idsyncName === 'customerid' ? [ui, 'customerid'] : [ui] };
  return { container: 'user_identities', keys: [idsyncName] };
}

/** Every IDSync name that lives in device_info or at the batch root. */
export const DEVICE_IDENTITY_NAMES = [...Object.keys(DEVICE_IDENTITY_KEYS), 'device_application_stamp'];
