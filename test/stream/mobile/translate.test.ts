/**
 * Mobile upload → Events API batch, checked against the JSON reference: the iOS SDK's own recordings
 * (filled), a table of Android messages in Constants.kt's keys, and mParticle's model-translation package.
 */
import modelTranslation from '@mparticle/model-translation';
import { describe, expect, it } from 'vitest';
import { parseLossless, quoteUnsafeIntegers, translateMessage, translateUpload } from '../../../src/stream/mobile/index.js';
import { loadPlan } from '../../../src/validate/index.js';
import { ANDROID_MPID, androidUpload, IOS, MOBILE_PLAN, msg, RECORDINGS, recordedBody } from './helpers.js';

const plan = loadPlan(MOBILE_PLAN);

function ios(name: string) {
  const upload = parseLossless(Buffer.from(recordedBody(name))) as Record<string, unknown>;
  return { upload, t: translateUpload(upload) };
}

function summary(e: Record<string, unknown>): string {
  const d = e.data as Record<string, unknown>;
  switch (e.event_type) {
    case 'custom_event': return `custom_event:${d.custom_event_type}:${d.event_name}`;
    case 'screen_view': return `screen_view:${d.screen_name}`;
    case 'commerce_event': return `commerce_event:${d.custom_event_type}`;
    case 'application_state_transition': return `application_state_transition:${d.application_transition_type}`;
    case 'user_attribute_change': return `user_attribute_change:${d.user_attribute_name}`;
    case 'user_identity_change': return `user_identity_change:${(d.new as Record<string, unknown>).identity_type}`;
    default: return String(e.event_type);
  }
}

describe('the iOS SDK recordings (mparticle-apple-sdk IntegrationTests/wiremock-recordings)', () => {
  it('covers every recorded event upload', () => {
    const uploads = RECORDINGS.filter((r) => r.method === 'POST' && r.path.endsWith('/events')).map((r) => r.name).sort();
    expect(IOS.map(([n]) => n).sort()).toEqual(uploads);
  });

  it.each(IOS)('%s: translated event by event and judged by the core', (name, events, violations) => {
    const { t } = ios(name);
    expect(t.platform).toBe('ios');
    expect(t.not_translated).toEqual([]);
    expect((t.batch.events as Record<string, unknown>[]).map(summary)).toEqual(events);
    expect(t.message_index).toEqual(events.map((_e, i) => i));
    const r = plan.validateBatch(t.batch, { force: true });
    expect(r.errors).toEqual([]);
    expect(r.violations.map((v) => `${v.violation}:${v.key}@${v.event_index ?? '-'}`).sort()).toEqual([...violations].sort());
  });

  it('batch fields: environment, exact 64-bit MPID, identities by name, app and device, consent', () => {
    const { upload, t } = ios('ccpa-consent');
    expect(upload.mpid).toBe('6504934091054997508');
    expect(t.batch).toMatchObject({
      environment: 'development',
      mpid: '6504934091054997508',
      mp_deviceid: '05c4b166-dafa-46c9-8d7d-395d7a3c007f',
      sdk_version: 'SDK_VERSION_PLACEHOLDER',
      user_identities: { customer_id: '123456', email: 'j.smit@example.com' },
      user_attributes: { $Age: '45', $Gender: 'm', 'Achieved Level': '11' },
      application_info: { application_version: '1.0', application_build_number: '1', package: 'com.mparticle.IntegrationTests', os: 'IOS', sideloaded_kits_count: 0 },
      device_info: { platform: 'iOS', device_manufacturer: 'Apple', device_model: 'arm64', screen_height: 1440, screen_width: 960, locale_language: 'en', limit_ad_tracking: false, is_tablet: false, is_dst: false },
      consent_state: { ccpa: { data_sale_opt_out: { consented: true, document: 'ccpa_consent_agreement_v3', timestamp_unixtime_ms: 1700000000000, location: '17 Cherry Tree Lane', hardware_id: 'IDFA:a5d934n0-232f-4afc-2e9a-3832d95zc702' } } },
    });
    expect(t.batch).not.toHaveProperty('context');
    expect(t.app).toEqual({ name: 'com.mparticle.IntegrationTests', version: '1.0', build: '1' });
    const gdpr = ios('gdpr-consent').t.batch.consent_state as Record<string, Record<string, unknown>>;
    expect(gdpr.gdpr['my gdpr purpose']).toEqual({ consented: true, document: 'location_collection_agreement_v4', timestamp_unixtime_ms: 1700000000000, location: '17 Cherry Tree Lane', hardware_id: 'IDFA:a5d934n0-232f-4afc-2e9a-3832d95zc702' });
  });

  it('commerce: product action, products and amounts as the JSON reference names and types them', () => {
    const data = (ios('commerce-event-purchase').t.batch.events as Array<{ data: Record<string, unknown> }>)[0].data;
    expect(data).toMatchObject({
      custom_event_type: 'purchase',
      screen_name: 'Timeless Books',
      custom_attributes: { an_extra_key: 'an_extra_value' },
      product_action: {
        action: 'purchase', transaction_id: 'zyx098', affiliation: 'Book seller', total_amount: 12.09, tax_amount: 0.87, shipping_amount: 1.23,
        checkout_step: 4, checkout_options: 'Credit Card',
        products: [{ name: 'Awesome Book', brand: 'A Publisher', category: 'Fiction', price: 9.99, quantity: 1, position: 1, coupon_code: 'XYZ123', total_product_amount: 9.99, custom_attributes: { 'custom key': 'custom value' } }],
      },
    });
    expect(typeof (data.product_action as { products: Array<{ id: unknown }> }).products[0].id).toBe('string');
  });

  it('errors, flags and session attributes', () => {
    const err = (ios('log-exception').t.batch.events as Array<{ data: Record<string, unknown> }>)[0].data;
    expect(err).toMatchObject({ class_name: 'NSInvalidArgumentException', severity: 'error', exception_handled: true, message: expect.stringContaining('unrecognized selector') });
    const flags = (ios('log-event-with-flags').t.batch.events as Array<{ data: Record<string, unknown> }>)[0].data;
    expect(flags.custom_flags).toEqual({ Not_forwarded_to_providers: ['Top Secret'] });
    const se = (ios('set-session-attribute').t.batch.events as Array<{ data: Record<string, unknown> }>)[0].data;
    expect(se).toMatchObject({ custom_attributes: { Station: 'Classic Rock' }, session_duration_ms: 1500 });
  });
});

describe('Android messages (keys from android-core Constants.kt)', () => {
  const A: Array<[string, Record<string, unknown>, { event_type: string; data: Record<string, unknown> }]> = [
    ['e (EVENT), et Navigation', msg('e', 1, { n: 'Open Menu', et: 'Navigation', attrs: { from: 'home' }, en: 3, est: 1763665690001, el: 12 }),
      { event_type: 'custom_event', data: { event_name: 'Open Menu', custom_event_type: 'navigation', custom_attributes: { from: 'home' }, event_num: 3, event_start_unixtime_ms: 1763665690001 } }],
    ['e, et UserPreference', msg('e', 2, { n: 'Skip Song', et: 'UserPreference' }), { event_type: 'custom_event', data: { event_name: 'Skip Song', custom_event_type: 'user_preference' } }],
    ['e, et UserContent', msg('e', 3, { n: 'Post', et: 'UserContent' }), { event_type: 'custom_event', data: { custom_event_type: 'user_content' } }],
    ['v (SCREEN_VIEW) with t', msg('v', 4, { n: 'Home Screen', t: 'activity_started', attrs: {} }), { event_type: 'screen_view', data: { screen_name: 'Home Screen', activity_type: 'activity_started' } }],
    ['cm product action (pd an, pl, ti, tr, tt, ts, tcc, cs, co, pal, pls), cu, sn, ni', msg('cm', 5, {
      cu: 'USD', sn: 'Cart', ni: false,
      pd: { an: 'add_to_cart', ti: 'T-1', ta: 'Store', tr: '20.5', tt: '1.5', ts: '3', tcc: 'SAVE', cs: '2', co: 'Visa', pal: 'Search', pls: 'Results', pl: [{ id: 'SKU-1', nm: 'Shoe', br: 'Acme', ca: 'Footwear', va: 'red', ps: '3', pr: '19.99', qt: '2', cc: 'P1', act: '1763665600000', tpa: '39.98', attrs: { size: '44' } }] },
    }), { event_type: 'commerce_event', data: {
      custom_event_type: 'add_to_cart', currency_code: 'USD', screen_name: 'Cart', is_non_interactive: false,
      product_action: { action: 'add_to_cart', transaction_id: 'T-1', affiliation: 'Store', total_amount: 20.5, tax_amount: 1.5, shipping_amount: 3, coupon_code: 'SAVE', checkout_step: 2, checkout_options: 'Visa', product_action_list: 'Search', product_list_source: 'Results',
        products: [{ id: 'SKU-1', name: 'Shoe', brand: 'Acme', category: 'Footwear', variant: 'red', position: 3, price: 19.99, quantity: 2, coupon_code: 'P1', added_to_cart_time_ms: 1763665600000, total_product_amount: 39.98, custom_attributes: { size: '44' } }] },
    } }],
    ['cm remove_from_wishlist: wish_list spelling in the action', msg('cm', 6, { pd: { an: 'remove_from_wishlist', pl: [] } }),
      { event_type: 'commerce_event', data: { custom_event_type: 'remove_from_wishlist', product_action: { action: 'remove_from_wish_list', products: [] } } }],
    ['cm promotion (pm an, pl id nm cr ps)', msg('cm', 7, { pm: { an: 'click', pl: [{ id: 'PROMO-1', nm: 'Summer', cr: 'banner', ps: 'top' }] } }),
      { event_type: 'commerce_event', data: { custom_event_type: 'promotion_click', promotion_action: { action: 'click', promotions: [{ id: 'PROMO-1', name: 'Summer', creative: 'banner', position: 'top' }] } } }],
    ['cm impressions (pi pil pl)', msg('cm', 8, { pi: [{ pil: 'Search results', pl: [{ id: 'SKU-2', nm: 'Hat', pr: '5' }] }] }),
      { event_type: 'commerce_event', data: { custom_event_type: 'impression', product_impressions: [{ product_impression_list: 'Search results', products: [{ id: 'SKU-2', name: 'Hat', price: 5 }] }] } }],
    ['ss (SESSION_START)', msg('ss', 9, { pid: 'old-session', pss: 1763600000000, psl: 1000 }), { event_type: 'session_start', data: { source_message_id: '00000009-aaaa-4bbb-8ccc-dddddddddddd', timestamp_unixtime_ms: 1763665690009, session_uuid: 'c0ffee00-1111-4222-8333-444455556666', session_start_unixtime_ms: 1763665600000 } }],
    ['se (SESSION_END) sl, attrs', msg('se', 10, { sl: 90000, slx: 95000, attrs: { plan: 'free' } }), { event_type: 'session_end', data: { session_duration_ms: 90000, custom_attributes: { plan: 'free' } } }],
    ['x (ERROR) s c m st eh', msg('x', 11, { s: 'fatal', c: 'java.lang.IllegalStateException', m: 'boom', st: 'at A.b(A.java:1)', eh: 'false', sn: 2 }),
      { event_type: 'crash_report', data: { severity: 'fatal', class_name: 'java.lang.IllegalStateException', message: 'boom', stack_trace: 'at A.b(A.java:1)', exception_handled: false, session_number: 2 } }],
    ['o (OPT_OUT) s', msg('o', 12, { s: true }), { event_type: 'opt_out', data: { is_opted_out: true } }],
    ['fr (FIRST_RUN)', msg('fr', 13, {}), { event_type: 'first_run', data: { timestamp_unixtime_ms: 1763665690013 } }],
    ['pr (PUSH_REGISTRATION) to r', msg('pr', 14, { to: 'fcm-token', r: true }), { event_type: 'push_registration', data: { registration_token: 'fcm-token', register: true } }],
    ['ast (APP_STATE_TRANSITION) t app_fore, lr', msg('ast', 15, { t: 'app_fore', lr: 'https://acme.test/deeplink', nsi: 0 }), { event_type: 'application_state_transition', data: { application_transition_type: 'application_foreground', launch_referral: 'https://acme.test/deeplink' } }],
    ['ast t app_back', msg('ast', 16, { t: 'app_back' }), { event_type: 'application_state_transition', data: { application_transition_type: 'application_background' } }],
    ['ast t app_exit', msg('ast', 17, { t: 'app_exit' }), { event_type: 'application_state_transition', data: { application_transition_type: 'application_exit' } }],
    ['pm (PUSH_RECEIVED) t to pay as bhv', msg('pm', 18, { t: 'received', to: 'fcm-token', pay: '{"a":1}', as: 'background', bhv: 2 }),
      { event_type: 'push_message', data: { push_message_type: 'received', push_message_token: 'fcm-token', push_notification_payload: '{"a":1}', application_state: 'background', push_message_behavior: 2 } }],
    ['bc (BREADCRUMB) l sn', msg('bc', 19, { l: 'tapped buy', sn: 2 }), { event_type: 'breadcrumb', data: { label: 'tapped buy', session_number: 2 } }],
    ['npe (NETWORK_PERFORMNACE) v url te bo bi', msg('npe', 20, { v: 'GET', url: 'https://api.acme.test/x', te: 120, bo: 10, bi: 2048 }),
      { event_type: 'network_performance', data: { http_verb: 'GET', url: 'https://api.acme.test/x', time_elapsed: 120, bytes_out: 10, bytes_in: 2048 } }],
    ['pro (PROFILE) t', msg('pro', 21, { t: 'logout' }), { event_type: 'profile', data: { profile_event_type: 'logout' } }],
    ['uac (USER_ATTRIBUTE_CHANGE) n nv ov d na', msg('uac', 22, { n: 'Achieved Level', nv: '4', ov: '3', d: false, na: false }),
      { event_type: 'user_attribute_change', data: { user_attribute_name: 'Achieved Level', new: '4', old: '3', deleted: false, is_new_attribute: false } }],
    ['uic (USER_IDENTITY_CHANGE) ni oi (n i dfs f)', msg('uic', 23, { ni: { n: 7, i: 'new@example.com', dfs: 1763665690000, f: true }, oi: { n: 7, i: 'pat@example.com', dfs: 1763660000000, f: false } }),
      { event_type: 'user_identity_change', data: { new: { identity_type: 'email', identity: 'new@example.com', timestamp_unixtime_ms: 1763665690000, created_this_batch: true }, old: { identity_type: 'email', identity: 'pat@example.com', timestamp_unixtime_ms: 1763660000000, created_this_batch: false } } }],
    ['lc (LOCATION) and cs (STATE_INFO_KEY) on any message', msg('e', 24, { n: 'Here', et: 'Location', lc: { lat: 40.7, lng: -74, acc: 5 }, cs: { bl: 0.5, dct: 'wifi', so: 1, tss: 1000 } }),
      { event_type: 'custom_event', data: { custom_event_type: 'location', location: { latitude: 40.7, longitude: -74, accuracy: 5 }, device_current_state: { battery_level: 0.5, data_connection_type: 'wifi', device_orientation: 1, time_since_start_ms: 1000 } } }],
  ];

  it.each(A)('%s', (_name, m, expected) => {
    const r = translateMessage(m);
    expect(r).toHaveProperty('event');
    expect((r as { event: unknown }).event).toMatchObject(expected);
  });

  it('every Android MessageType is translated (request header "h" is the batch itself)', () => {
    const types = ['ss', 'se', 'e', 'v', 'cm', 'o', 'x', 'pr', 'fr', 'ast', 'pm', 'bc', 'npe', 'pro', 'uac', 'uic'];
    for (const dt of types) expect(translateMessage({ dt }), dt).toHaveProperty('event');
    expect(new Set(A.map(([, m]) => m.dt))).toEqual(new Set(types));
  });

  it('the batch: string MPID kept exact, ctx.dpln → context.data_plan, ai.env → environment, identities and device by name', () => {
    const t = translateUpload(androidUpload([msg('e', 1, { n: 'Simple Event Name', et: 'Other', attrs: { SimpleKey: 'SimpleValue' } })]), 'mParticle Android SDK/5.70.0');
    expect(t.platform).toBe('android');
    expect(t.app).toEqual({ name: 'Acme Shop', version: '4.2.0', build: '420' });
    expect(t.batch).toMatchObject({
      mpid: ANDROID_MPID, environment: 'development', context: { data_plan: { plan_id: 'mobile_app', plan_version: 1 } },
      source_request_id: '9b1c0f43-7c55-4b0e-9d55-0d7a1b9e2f10', timestamp_unixtime_ms: 1763665700000, sdk_version: '5.70.0',
      user_identities: { customer_id: '123456', email: 'pat@example.com' },
      application_info: { application_name: 'Acme Shop', application_version: '4.2.0', application_build_number: '420', package: 'shop.acme.android', os: 'Android' },
      device_info: { platform: 'Android', brand: 'google', device_manufacturer: 'Google', android_uuid: 'f1e2d3c4b5a69788', android_advertising_id: '38400000-8cf0-11bd-b23e-10b96e40000d', screen_dpi: 420, supports_telephony: true, network_carrier: 'T-Mobile', timezone_offset: -5 },
    });
    const r = plan.validateBatch(t.batch);
    expect(r).toMatchObject({ validated: true, plan_id: 'mobile_app', plan_version: 1 });
    expect(r.violations).toEqual([]);
    expect(translateUpload(androidUpload([], { ai: { env: 2 } })).batch.environment).toBe('production');
    expect(translateUpload(androidUpload([], { ctx: { dpln: { id: 'mobile_app', v: '3' } } })).batch.context).toEqual({ data_plan: { plan_id: 'mobile_app', plan_version: 3 } });
  });
});

describe('nothing dropped silently', () => {
  it('lists messages the Events API has no shape for, and unknown identity types, with the reason', () => {
    const t = translateUpload(androidUpload([
      msg('e', 1, { n: 'Kept', et: 'Other' }), msg('pre', 2, {}), msg('media', 3, {}), msg('zz', 4, {}), 'junk', { n: 'no type' },
    ], { ui: [{ n: 1, i: '123456' }, { n: 42, i: 'x' }] }));
    expect((t.batch.events as unknown[]).length).toBe(1);
    expect(t.message_index).toEqual([0]);
    expect(t.not_translated.map((n) => `${n.pointer} ${n.dt ?? '-'}`)).toEqual(['/ui/1 -', '/msgs/1 pre', '/msgs/2 media', '/msgs/3 zz', '/msgs/4 -', '/msgs/5 -']);
    expect(t.not_translated[0].reason).toMatch(/identity type 42 is not one of the 22 Events API identity types/);
    expect(t.not_translated[1].reason).toMatch(/push notification interaction/);
    expect(t.not_translated[3].reason).toBe('unknown message type "zz": not in the iOS or Android SDK');
    expect(t.not_translated[4].reason).toBe('message is string, expected an object');
    expect(t.not_translated[5].reason).toMatch(/no "dt"/);
    expect(t.batch.user_identities).toEqual({ customer_id: '123456' });
  });
});

describe('64-bit numbers', () => {
  it('keeps every unsafe integer exact as its decimal string, leaves strings, fractions and safe numbers alone', () => {
    const text = '{"mpid": 9223372036854775807, "smpids":[-9223372036854775808, 6504934091054997508], "s":"12345678901234567890 \\" 99999999999999999999", "f": 1.12345678901234567891, "e": 12345678901234567e5, "t": 1763665684829}';
    expect(quoteUnsafeIntegers(text)).toBe('{"mpid": "9223372036854775807", "smpids":["-9223372036854775808", "6504934091054997508"], "s":"12345678901234567890 \\" 99999999999999999999", "f": 1.12345678901234567891, "e": 12345678901234567e5, "t": 1763665684829}');
    const v = parseLossless(Buffer.from(text)) as Record<string, unknown>;
    expect(v.mpid).toBe('9223372036854775807');
    expect(v.smpids).toEqual(['-9223372036854775808', '6504934091054997508']);
    expect(v.t).toBe(1763665684829);
    expect(translateUpload({ dt: 'h', mpid: v.mpid, msgs: [] }).batch.mpid).toBe('9223372036854775807');
    const se = parseLossless(Buffer.from(recordedBody('set-session-attribute'))) as { msgs: Array<{ smpids: unknown[] }> };
    expect(se.msgs[0].smpids).toEqual(['6504934091054997508']);
  });
});

describe('@mparticle/model-translation, evaluated against the JSON reference', () => {
  // mParticle's per-message map (used by `mp planning:events:validate --translateEvents`). Where it agrees with the
  // reference we agree with it; where it drifts, the reference wins and this pins the difference.
  const messages = (name: string) => (parseLossless(Buffer.from(recordedBody(name))) as { msgs: Record<string, unknown>[] }).msgs;

  it('agrees on event types, names, custom event types and attributes of custom events and the lifecycle', () => {
    for (const m of [...messages('v2-events-log-event'), ...messages('log-event-with-flags'), ...messages('timed-event')]) {
      const theirs = modelTranslation.expand(m) as { event_type: string; data: Record<string, unknown> };
      const ours = (translateMessage(m) as { event: { event_type: string; data: Record<string, unknown> } }).event;
      expect(ours.event_type).toBe(theirs.event_type);
      for (const k of ['event_name', 'custom_event_type', 'custom_attributes', 'custom_flags', 'timestamp_unixtime_ms', 'session_start_unixtime_ms', 'event_start_unixtime_ms']) {
        if (theirs.data[k] !== undefined) expect(ours.data[k], k).toEqual(theirs.data[k]);
      }
    }
  });

  it('drifts from the reference where we follow the reference', () => {
    const x = modelTranslation.expand(messages('log-error')[0]) as { event_type: string };
    expect(x.event_type).toBe('unknown');
    expect((translateMessage(messages('log-error')[0]) as { event: { event_type: string } }).event.event_type).toBe('crash_report');
    expect((modelTranslation.expand({ dt: 'pm' }) as { event_type: string }).event_type).toBe('push_received');
    expect((translateMessage({ dt: 'pm' }) as { event: { event_type: string } }).event.event_type).toBe('push_message');
    const cm = messages('commerce-event-purchase')[0];
    const theirs = modelTranslation.expand(cm) as unknown as { data: { product_action: Record<string, unknown> & { products: Record<string, unknown>[] } } };
    const ours = (translateMessage(cm) as { event: { data: { product_action: Record<string, unknown> & { products: Record<string, unknown>[] } } } }).event.data;
    expect(Object.keys(theirs.data.product_action.products[0]).sort()).toEqual(['attributes', 'brand', 'category', 'coupon_code', 'name', 'position', 'price', 'quantity', 'sku', 'total_amount']);
    expect(Object.keys(ours.product_action.products[0]).sort()).toEqual(['brand', 'category', 'coupon_code', 'custom_attributes', 'id', 'name', 'position', 'price', 'quantity', 'total_product_amount']);
    expect(theirs.data.product_action.checkout_option).toBe('Credit Card');
    expect(ours.product_action.checkout_options).toBe('Credit Card');
    expect(theirs.data.product_action.products[0].price).toBe('9.99');
    expect(ours.product_action.products[0].price).toBe(9.99);
    const screen = messages('log-screen')[0];
    expect(modelTranslation.expand(screen)).toMatchObject({ event_type: 'screen_view', data: { event_name: 'Home Screen' } });
    expect(translateMessage(screen)).toMatchObject({ event: { event_type: 'screen_view', data: { screen_name: 'Home Screen' } } });
    expect(modelTranslation.expand({ dt: 'ast', t: 'app_init' })).toMatchObject({ data: { application_transition_type: 'app_init' } });
    expect(translateMessage({ dt: 'ast', t: 'app_init' })).toMatchObject({ event: { data: { application_transition_type: 'application_initialized' } } });
  });
});
