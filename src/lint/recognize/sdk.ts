/** What the mParticle SDKs define: enums and the batch names they turn into (spec: sdk-calls.md §1, §8). */

/** Web `mParticle.EventType` member → number; the batch `custom_event_type` is `CUSTOM_EVENT_TYPE_BY_NUMBER`. */
export const EVENT_TYPE: Record<string, number> = {
  Unknown: 0, Navigation: 1, Location: 2, Search: 3, Transaction: 4, UserContent: 5, UserPreference: 6, Social: 7, Other: 8, Media: 9,
};
export const CUSTOM_EVENT_TYPE_BY_NUMBER = ['unknown', 'navigation', 'location', 'search', 'transaction', 'user_content', 'user_preference', 'social', 'other', 'media'];

/** Web `mParticle.ProductActionType` member → number (11–18 exist only in web SDK ≥ 2.69, as Rokt types). */
export const PRODUCT_ACTION_TYPE: Record<string, number> = {
  Unknown: 0, AddToCart: 1, RemoveFromCart: 2, Checkout: 3, CheckoutOption: 4, Click: 5, ViewDetail: 6, Purchase: 7, Refund: 8,
  AddToWishlist: 9, RemoveFromWishlist: 10,
};
/** ProductActionType number → batch `product_action.action`. */
export const PRODUCT_ACTION_BY_NUMBER = [
  'unknown', 'add_to_cart', 'remove_from_cart', 'checkout', 'checkout_option', 'click', 'view_detail', 'purchase', 'refund',
  'add_to_wishlist', 'remove_from_wish_list',
];

/** Web `mParticle.PromotionType`; the web SDK sends the number, the core normalises 1 → view, 2 → click. */
export const PROMOTION_TYPE: Record<string, number> = { Unknown: 0, PromotionView: 1, PromotionClick: 2 };

export const COMMERCE_EVENT_TYPE: Record<string, number> = {
  ProductAddToCart: 10, ProductRemoveFromCart: 11, ProductCheckout: 12, ProductCheckoutOption: 13, ProductClick: 14,
  ProductViewDetail: 15, ProductPurchase: 16, ProductRefund: 17, PromotionView: 18, PromotionClick: 19,
  ProductAddToWishlist: 20, ProductRemoveFromWishlist: 21, ProductImpression: 22,
};

export const IDENTITY_TYPE: Record<string, number> = {
  Other: 0, CustomerId: 1, Facebook: 2, Twitter: 3, Google: 4, Microsoft: 5, Yahoo: 6, Email: 7, FacebookCustomAudienceId: 9,
  Other2: 10, Other3: 11, Other4: 12, Other5: 13, Other6: 14, Other7: 15, Other8: 16, Other9: 17, Other10: 18,
  MobileNumber: 19, PhoneNumber2: 20, PhoneNumber3: 21,
};

/** Web enums by their name under the namespace. */
export const WEB_ENUMS: Record<string, Record<string, number>> = {
  EventType: EVENT_TYPE,
  ProductActionType: PRODUCT_ACTION_TYPE,
  PromotionType: PROMOTION_TYPE,
  CommerceEventType: COMMERCE_EVENT_TYPE,
  IdentityType: IDENTITY_TYPE,
};

/** Node SDK enums (string-valued: member name = value). */
export const NODE_ENUMS: Record<string, string[]> = {
  'AppEvent.CustomEventType': ['unknown', 'navigation', 'location', 'search', 'transaction', 'user_content', 'user_preference', 'social', 'other'],
  'ProductAction.Action': ['unknown', ...PRODUCT_ACTION_BY_NUMBER.slice(1)],
  'PromotionAction.Action': ['unknown', 'view', 'click'],
  'Batch.Environment': ['production', 'development'],
};

/** `user_preference` → `UserPreference` (the linter's snake ⇄ Pascal rule). */
export function pascal(snake: string): string {
  return snake.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
}

/** EventType number for a custom event type given as number, member name (`Navigation`) or batch name (`navigation`). */
export function customEventType(v: unknown): string | undefined {
  if (typeof v === 'number') return CUSTOM_EVENT_TYPE_BY_NUMBER[v];
  if (typeof v !== 'string') return undefined;
  if (CUSTOM_EVENT_TYPE_BY_NUMBER.includes(v)) return v;
  if (v in EVENT_TYPE) return CUSTOM_EVENT_TYPE_BY_NUMBER[EVENT_TYPE[v]];
  return undefined;
}

/** Module specifiers of the SDKs. */
export const WEB_SDK_MODULES = new Set(['@mparticle/web-sdk']);
export const NODE_SDK_MODULES = new Set(['mparticle']);
