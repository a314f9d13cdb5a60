/**
 * The mobile SDKs' short keys and codes, and the Events API names the platform gives them. Keys are
 * read off the SDKs' sources (iOS MPIConstants.m, MPApplication.m, MPDevice.swift; Android
 * Constants.kt); names off the Events API JSON reference. Decisions where the two do not meet are
 * in docs/mobile.md.
 */

/** `dt` of a message → Events API `event_type`, for the types the platform translates. */
export const MESSAGE_TYPES: Readonly<Record<string, string>> = {
  ss: 'session_start',
  se: 'session_end',
  e: 'custom_event',
  v: 'screen_view',
  cm: 'commerce_event',
  x: 'crash_report',
  o: 'opt_out',
  fr: 'first_run',
  pr: 'push_registration',
  pm: 'push_message',
  ast: 'application_state_transition',
  npe: 'network_performance',
  bc: 'breadcrumb',
  pro: 'profile',
  uac: 'user_attribute_change',
  uic: 'user_identity_change',
};

/** Message types that are not validated, and why (shown with the message; nothing is dropped silently). */
export const NOT_TRANSLATED: Readonly<Record<string, string>> = {
  pre: 'push notification interaction (iOS): the Events API has no documented inbound shape for it (push_reaction is an enum value only)',
  media: 'Media SDK message (iOS): the Events API has no media event type; media events the plan can cover arrive as custom events of type media',
  unknown: 'pre-attribution message (iOS "unknown"): an enum value only in the Events API, never plannable',
  h: 'a request header inside msgs is not an event',
};

/** Custom event types as the SDKs spell them (`et`) → `custom_event_type`. */
export const CUSTOM_EVENT_TYPES: Readonly<Record<string, string>> = {
  Navigation: 'navigation',
  Location: 'location',
  Search: 'search',
  Transaction: 'transaction',
  UserContent: 'user_content',
  UserPreference: 'user_preference',
  Social: 'social',
  Other: 'other',
  Media: 'media',
  Unknown: 'unknown',
  Attribution: 'attribution',
};

/** Commerce event types as the SDKs spell them (`et` on `cm`) → commerce `custom_event_type`. */
export const COMMERCE_EVENT_TYPES: Readonly<Record<string, string>> = {
  ProductAddToCart: 'add_to_cart',
  ProductRemoveFromCart: 'remove_from_cart',
  ProductCheckout: 'checkout',
  ProductCheckoutOption: 'checkout_option',
  ProductClick: 'click',
  ProductViewDetail: 'view_detail',
  ProductPurchase: 'purchase',
  ProductRefund: 'refund',
  PromotionView: 'promotion_view',
  PromotionClick: 'promotion_click',
  ProductAddToWishlist: 'add_to_wishlist',
  ProductRemoveFromWishlist: 'remove_from_wishlist',
  ProductImpression: 'impression',
};

/** Product actions (`pd.an`): the SDKs' spellings → `product_action.action`. */
export const PRODUCT_ACTIONS: Readonly<Record<string, string>> = {
  add_to_cart: 'add_to_cart',
  remove_from_cart: 'remove_from_cart',
  checkout: 'checkout',
  checkout_option: 'checkout_option',
  click: 'click',
  view_detail: 'view_detail',
  view: 'view_detail',
  purchase: 'purchase',
  refund: 'refund',
  add_to_wishlist: 'add_to_wishlist',
  remove_from_wishlist: 'remove_from_wish_list',
  remove_from_wish_list: 'remove_from_wish_list',
};

/** A product action's commerce `custom_event_type` (wish list spelled without the underscore here). */
export const ACTION_EVENT_TYPE: Readonly<Record<string, string>> = {
  remove_from_wish_list: 'remove_from_wishlist',
};

/** Identity type numbers (iOS MPUserIdentity, Android MParticle.IdentityType) → `user_identities` keys. */
export const IDENTITY_TYPES: readonly string[] = [
  'other', 'customer_id', 'facebook', 'twitter', 'google', 'microsoft', 'yahoo', 'email', 'alias',
  'facebook_custom_audience_id', 'other_id_2', 'other_id_3', 'other_id_4', 'other_id_5', 'other_id_6',
  'other_id_7', 'other_id_8', 'other_id_9', 'other_id_10', 'mobile_number', 'phone_number_2', 'phone_number_3',
];

/** `ai.env` → `environment`. */
export const ENVIRONMENTS: Readonly<Record<string, string>> = { 1: 'development', 2: 'production' };

/** `ast.t` → `application_transition_type`. */
export const TRANSITIONS: Readonly<Record<string, string>> = {
  app_init: 'application_initialized',
  app_exit: 'application_exit',
  app_back: 'application_background',
  app_fore: 'application_foreground',
};

/** iOS ATTrackingManager status numbers → `att_authorization_status`. */
export const ATT_STATUS: Readonly<Record<string, string>> = { 0: 'not_determined', 1: 'restricted', 2: 'denied', 3: 'authorized' };

/** A field map: short key → Events API name, with `num` for fields the Events API types as numbers. */
export type FieldMap = Readonly<Record<string, string | { to: string; num?: true; bool?: true }>>;

/** Keys every message may carry → event `data`. */
export const COMMON_FIELDS: FieldMap = {
  id: 'source_message_id',
  ct: 'timestamp_unixtime_ms',
  sid: 'session_uuid',
  sct: 'session_start_unixtime_ms',
  est: 'event_start_unixtime_ms',
  en: 'event_num',
  vc: 'view_controller',
  mt: 'is_main_thread',
  attrs: 'custom_attributes',
  flags: 'custom_flags',
};

/** Type-specific message keys → event `data` (on top of COMMON_FIELDS). */
export const TYPE_FIELDS: Readonly<Record<string, FieldMap>> = {
  e: { n: 'event_name' },
  v: { n: 'screen_name', t: 'activity_type' },
  cm: { sn: 'screen_name', ni: { to: 'is_non_interactive', bool: true }, cu: 'currency_code' },
  se: { sl: { to: 'session_duration_ms', num: true } },
  x: {
    c: 'class_name', s: 'severity', m: 'message', st: 'stack_trace', eh: { to: 'exception_handled', bool: true },
    tc: 'topmost_context', plc: 'pl_crash_report_file_base64', iba: 'ios_image_base_address', is: 'ios_image_size', sn: 'session_number',
  },
  o: { s: { to: 'is_opted_out', bool: true } },
  pr: { r: { to: 'register', bool: true }, to: 'registration_token' },
  pm: { to: 'push_message_token', t: 'push_message_type', pay: 'push_notification_payload', as: 'application_state', aid: 'action_identifier', bhv: 'push_message_behavior', n: 'network' },
  ast: { ifr: { to: 'is_first_run', bool: true }, iu: { to: 'is_upgrade', bool: true }, sc: { to: 'successfully_closed', bool: true }, lr: 'launch_referral', pay: 'push_notification_payload' },
  npe: { v: 'http_verb', url: 'url', te: { to: 'time_elapsed', num: true }, bi: { to: 'bytes_in', num: true }, bo: { to: 'bytes_out', num: true }, rc: 'response_code', d: 'data' },
  bc: { l: 'label', sn: 'session_number' },
  pro: { t: 'profile_event_type', n: 'current_mpid', o: 'previous_mpid' },
  uac: { n: 'user_attribute_name', nv: 'new', ov: 'old', d: { to: 'deleted', bool: true }, na: { to: 'is_new_attribute', bool: true } },
};

/** Product (`pl[]`) keys → Events API Product. */
export const PRODUCT_FIELDS: FieldMap = {
  id: 'id', nm: 'name', br: 'brand', ca: 'category', va: 'variant', ps: { to: 'position', num: true },
  pr: { to: 'price', num: true }, qt: { to: 'quantity', num: true }, cc: 'coupon_code',
  act: { to: 'added_to_cart_time_ms', num: true }, tpa: { to: 'total_product_amount', num: true }, attrs: 'custom_attributes',
};

/** Product action (`pd`) keys → `product_action` (`an` and `pl` are handled apart). */
export const PRODUCT_ACTION_FIELDS: FieldMap = {
  cs: { to: 'checkout_step', num: true }, co: 'checkout_options', pal: 'product_action_list', pls: 'product_list_source',
  ti: 'transaction_id', ta: 'affiliation', tr: { to: 'total_amount', num: true }, tt: { to: 'tax_amount', num: true },
  ts: { to: 'shipping_amount', num: true }, tcc: 'coupon_code',
};

/** Promotion (`pm.pl[]`) keys → Events API Promotion (all strings). */
export const PROMOTION_FIELDS: FieldMap = { id: 'id', nm: 'name', cr: 'creative', ps: 'position' };

/** Location (`lc`) keys. */
export const LOCATION_FIELDS: FieldMap = { lat: { to: 'latitude', num: true }, lng: { to: 'longitude', num: true }, acc: { to: 'accuracy', num: true } };

/** Device state (`cs`) keys → `device_current_state`. */
export const STATE_FIELDS: FieldMap = {
  tss: 'time_since_start_ms', bl: 'battery_level', dct: 'data_connection_type', gps: 'gps_state', tsm: 'total_system_memory_usage_bytes',
  fds: 'disk_space_free_bytes', efds: 'external_disk_space_free_bytes', sma: 'system_memory_available_bytes', sml: 'system_memory_low',
  smt: 'system_memory_threshold_bytes', ama: 'application_memory_available_bytes', amm: 'application_memory_max_bytes',
  amt: 'application_memory_total_bytes', so: 'device_orientation', sbo: 'status_bar_orientation', ant: 'data_connection_type_detail', cpu: 'cpu',
};

/** Consent (`con.gdpr.<purpose>`, `con.ccpa.data_sale_opt_out`) keys. */
export const CONSENT_FIELDS: FieldMap = { c: { to: 'consented', bool: true }, d: 'document', ts: { to: 'timestamp_unixtime_ms', num: true }, l: 'location', h: 'hardware_id' };

/** Application info (`ai`) keys → `application_info`. */
export const APP_FIELDS: FieldMap = { an: 'application_name', av: 'application_version', abn: 'application_build_number', apn: 'package', ir: 'install_referrer' };

/** Device info (`di`) keys → `device_info`. */
export const DEVICE_FIELDS: FieldMap = {
  b: 'brand', p: 'product', dn: 'device', anid: 'android_uuid', dma: 'device_manufacturer', dp: 'platform', dosv: 'os_version',
  dmdl: 'device_model', dsh: { to: 'screen_height', num: true }, dsw: { to: 'screen_width', num: true }, dpi: { to: 'screen_dpi', num: true },
  dc: 'device_country', dll: 'locale_language', dlc: 'locale_country', nc: 'network_country', nca: 'network_carrier', mnc: 'network_code',
  mcc: 'network_mobile_country_code', tz: { to: 'timezone_offset', num: true }, bid: 'build_identifier', aid: 'ios_advertising_id',
  vid: 'ios_idfv', gaid: 'android_advertising_id', faid: 'fire_advertising_id', lat: { to: 'limit_ad_tracking', bool: true },
  it: { to: 'is_tablet', bool: true }, arc: 'cpu_architecture', se: { to: 'push_notification_sound_enabled', bool: true },
  ve: { to: 'push_notification_vibrate_enabled', bool: true }, dst: { to: 'supports_telephony', bool: true }, dsnfc: { to: 'has_nfc', bool: true },
  dbe: { to: 'bluetooth_enabled', bool: true }, dbv: 'bluetooth_version', idst: { to: 'is_dst', bool: true }, to: 'push_token',
  dr: 'radio_access_technology', attt: { to: 'att_timestamp_unixtime_ms', num: true },
};

/** `di.dp` → `application_info.os`. */
export const PLATFORM_OS: Readonly<Record<string, string>> = { iOS: 'IOS', Android: 'Android', tvOS: 'TVOS', FireTV: 'FireTV' };

/** Batch keys the platform keeps for itself (SDK bookkeeping, not in the Events API): not translated, kept in the raw upload. */
export const BATCH_BOOKKEEPING = ['dt', 'ck', 'uitl', 'stl', 'oo', 'ltv', 'a', 'fsr', 'dbg', 'mpcv', 'cms', 'echo', 'mb', 'pb', 'reporting'];
