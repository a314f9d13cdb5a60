/** The iOS recordings, filled, and an Android upload built from Constants.kt's keys. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillPlaceholders } from '../../fixtures/mobile/fill.js';

export const MOBILE = join(import.meta.dirname, '..', '..', 'fixtures', 'mobile');
export const MOBILE_PLAN = join(import.meta.dirname, '..', '..', 'fixtures', 'plans', 'mobile_app-1.version.json');

export interface Recording {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  recorded_status: number;
  source: string;
  file?: string;
}

export const RECORDINGS: Recording[] = JSON.parse(readFileSync(join(MOBILE, 'ios', 'index.json'), 'utf8'));

/** The recorded request body with its placeholders filled, as text (64-bit numbers exactly as recorded). */
export function recordedBody(name: string): string {
  const r = RECORDINGS.find((x) => x.name === name);
  if (!r?.file) throw new Error(`no recorded body for ${name}`);
  return fillPlaceholders(readFileSync(join(MOBILE, 'ios', r.file), 'utf8'));
}

export const ANDROID_MPID = '-8476551924458446111';

/** An Android upload in the SDK's own keys (android-core Constants.kt: MessageKey, MessageType, Commerce). */
export function androidUpload(msgs: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    dt: 'h', id: '9b1c0f43-7c55-4b0e-9d55-0d7a1b9e2f10', ct: 1763665700000, sdk: '5.70.0', mpid: ANDROID_MPID, das: 'a2c4e6f8-1b3d-4f5a-8c7e-9d0b1a2c3d4e',
    dbg: false, mpcv: '4a3b', oo: false, stl: 60, uitl: 10,
    ai: { an: 'Acme Shop', av: '4.2.0', apn: 'shop.acme.android', abn: '420', ain: 'com.android.vending', pir: false, env: 1, ict: 1760000000000, lud: 1763660000000, sideloaded_kits_count: 0 },
    di: {
      dp: 'Android', b: 'google', p: 'sdk_gphone64_x86_64', dn: 'emu64xa', dma: 'Google', dmdl: 'sdk_gphone64_x86_64', dosv: '14', dosvi: 34,
      anid: 'f1e2d3c4b5a69788', gaid: '38400000-8cf0-11bd-b23e-10b96e40000d', lat: false, dsh: 2400, dsw: 1080, dpi: 420, dll: 'en', dlc: 'US',
      tz: -5, tzn: 'America/New_York', it: false, dst: true, dsnfc: false, dbe: true, nca: 'T-Mobile', mcc: '310', mnc: '260', idst: false,
    },
    ui: [{ n: 1, i: '123456', dfs: 1763660000000, f: false }, { n: 7, i: 'pat@example.com', dfs: 1763660000000, f: false }],
    ua: { $Age: '45', $Gender: 'f', 'Achieved Level': '3' },
    ctx: { dpln: { id: 'mobile_app', v: 1 } },
    msgs,
    ...extra,
  };
}

/** Common message keys (MessageKey: id, ct, sid, sct). */
export function msg(dt: string, n: number, fields: Record<string, unknown>): Record<string, unknown> {
  return { dt, id: `0000000${n}-aaaa-4bbb-8ccc-dddddddddddd`, ct: 1763665690000 + n, sid: 'c0ffee00-1111-4222-8333-444455556666', sct: 1763665600000, ...fields };
}

/** What each iOS recording must become: [event_type, name or screen or action], and the violations the test plan gives. */
export const IOS: Array<[string, string[], string[]]> = [
  ['v2-events-log-event', ['session_start', 'first_run', 'user_identity_change:customer_id', 'user_identity_change:email', 'application_state_transition:application_initialized', 'custom_event:other:Simple Event Name'], []],
  ['log-screen', ['screen_view:Home Screen'], []],
  ['log-event-with-flags', ['custom_event:transaction:Event Name'], ['unplanned_event_attribute:test Dictionary@0']],
  ['timed-event', ['custom_event:transaction:Timed Event'], []],
  ['commerce-event-purchase', ['commerce_event:purchase'], ['invalid_expected_value:total_amount@0']],
  ['log-error', ['crash_report'], []],
  ['log-exception', ['crash_report'], []],
  ['set-user-attributes', ['user_attribute_change:$Age', 'user_attribute_change:$Gender', 'user_attribute_change:Achieved Level'], []],
  ['increment-user-attribute-set', ['user_attribute_change:Achieved Level'], []],
  ['increment-user-attribute', ['user_attribute_change:Achieved Level'], ['invalid_expected_value:Achieved Level@-']],
  ['set-session-attribute', ['session_end'], ['invalid_expected_value:Achieved Level@-']],
  ['increment-session-attribute', ['session_end'], ['invalid_expected_value:Achieved Level@-']],
  ['increment-session-attribute-ss', ['session_start'], ['invalid_expected_value:Achieved Level@-']],
  ['ccpa-consent', ['session_start', 'custom_event:other:CCPA Consent Updated'], ['unplanned_event:CCPA Consent Updated@1', 'invalid_expected_value:Achieved Level@-']],
  ['gdpr-consent', ['custom_event:other:GDPR Consent Updated'], ['unplanned_event:GDPR Consent Updated@0', 'invalid_expected_value:Achieved Level@-']],
  ['set-att-status', ['custom_event:other:ATT Status Updated'], ['invalid_expected_value:Achieved Level@-']],
  ['rokt-select-placement', ['user_identity_change:email'], []],
];

