/**
 * `dataplan codegen`: one typed function per data point that calls the web SDK, generated with
 * ts-morph. Attribute objects are typed from the point's schema (enums as unions, required vs
 * optional, numbers, booleans); the output is deterministic and formatted.
 */
import { basename } from 'node:path';
import { createRequire } from 'node:module';
import type * as TsMorph from 'ts-morph';
import type { SourceFile } from 'ts-morph';

let tsMorph: typeof TsMorph | undefined;
/** ts-morph (a peer dependency only codegen needs), loaded on first use. */
function morph(): typeof TsMorph {
  tsMorph ??= createRequire(import.meta.url)('ts-morph') as typeof TsMorph;
  return tsMorph;
}
import { isObject, type PlanPoint } from '../../plan/index.js';
import type { CompiledPlan } from '../../validate/index.js';
import { access, objectShape, propertyKey, quote, type ObjectShape } from './types.js';

export type SdkBinding = 'import' | 'global';

export interface CodegenOptions {
  /** Plan version to generate for (default: the only/latest one). */
  version?: number;
  /**
   * `import` (default): `import mParticle from '@mparticle/web-sdk'` (npm).
   * `global`: the snippet's `window.mParticle`, looked up at call time.
   */
  sdk?: SdkBinding;
  /** How the header names the plan (default: the file's base name). */
  source?: string;
}

export interface GeneratedFunction {
  name: string;
  match_key: string;
}

export interface CodegenResult {
  text: string;
  functions: GeneratedFunction[];
  /** Data points with no function, and why. */
  skipped: { match_key: string; why: string }[];
}

const EVENT_TYPES: Record<string, string> = {
  unknown: 'Unknown', navigation: 'Navigation', location: 'Location', search: 'Search', transaction: 'Transaction',
  user_content: 'UserContent', user_preference: 'UserPreference', social: 'Social', other: 'Other', media: 'Media',
};
const PRODUCT_ACTIONS: Record<string, string> = {
  add_to_cart: 'AddToCart', remove_from_cart: 'RemoveFromCart', checkout: 'Checkout', checkout_option: 'CheckoutOption', click: 'Click',
  view_detail: 'ViewDetail', purchase: 'Purchase', refund: 'Refund', add_to_wishlist: 'AddToWishlist', remove_from_wish_list: 'RemoveFromWishlist',
};
const PROMOTION_TYPES: Record<string, string> = { view: 'PromotionView', click: 'PromotionClick' };
/** Keys of the web SDK's `UserIdentities` (IDSync names). */
const WEB_IDENTITIES = new Set([
  'customerid', 'email', 'other', 'other2', 'other3', 'other4', 'other5', 'other6', 'other7', 'other8', 'other9', 'other10',
  'mobile_number', 'phone_number_2', 'phone_number_3', 'facebook', 'facebookcustomaudienceid', 'google', 'twitter', 'microsoft', 'yahoo',
  'email_sha256', 'mobile_sha256',
]);
const NOT_CALLABLE: Record<string, string> = {
  application_state_transition: 'sent by the SDK itself',
  session_start: 'sent by the SDK itself', session_end: 'sent by the SDK itself',
  first_run: 'mobile SDKs only', breadcrumb: 'mobile SDKs only', network_performance: 'mobile SDKs only', uninstall: 'mobile SDKs only',
};
/** Product fields in a plan's product schema (batch names) → the createProduct input field. */
const PRODUCT_FIELDS: Record<string, string> = { id: 'sku', name: 'name', price: 'price', quantity: 'quantity', variant: 'variant', category: 'category', brand: 'brand', position: 'position', coupon_code: 'coupon' };
const OPTIONAL_PRODUCT_FIELDS = new Set(['quantity', 'variant', 'category', 'brand', 'position', 'coupon']);
/** Product-action fields (batch names) → the transaction input field. */
const TRANSACTION_FIELDS: Record<string, string> = {
  transaction_id: 'id', affiliation: 'affiliation', coupon_code: 'couponCode', total_amount: 'revenue', shipping_amount: 'shipping', tax_amount: 'tax',
  checkout_step: 'step', checkout_options: 'option',
};
/** Transaction input field → the PascalCase key the SDK reads. */
const SDK_TRANSACTION_KEYS: [string, string][] = [
  ['id', 'Id'], ['affiliation', 'Affiliation'], ['couponCode', 'CouponCode'], ['revenue', 'Revenue'], ['shipping', 'Shipping'], ['tax', 'Tax'], ['step', 'Step'], ['option', 'Option'],
];

/**
 * The transaction as an object literal at the call, so linters see its keys (the published types lack Step and
 * Option and type Shipping as a string, hence the assertion through SdkTransaction).
 */
function transactionLiteral(expr: string): string {
  return `{ ${SDK_TRANSACTION_KEYS.map(([from, to]) => `${to}: ${expr}.${from}`).join(', ')} } satisfies SdkTransaction as unknown as WebSdk.TransactionAttributes`;
}

function words(s: string): string[] {
  return s.replace(/([a-z\d])([A-Z])/g, '$1 $2').split(/[^A-Za-z0-9]+/).filter(Boolean);
}

function pascal(s: string): string {
  const p = words(s).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return p === '' ? 'Unnamed' : /^\d/.test(p) ? `N${p}` : p;
}

function at(schema: unknown, ...path: string[]): unknown {
  let node = schema;
  for (const seg of path) {
    if (!isObject(node)) return undefined;
    node = seg === '[]' ? node.items : isObject(node.properties) ? node.properties[seg] : undefined;
  }
  return node;
}

function requiredOf(schema: unknown): Set<string> {
  return new Set(isObject(schema) && Array.isArray(schema.required) ? schema.required.filter((x): x is string => typeof x === 'string') : []);
}

class Names {
  private readonly used = new Set(['mParticle', 'mParticleSdk', 'WebSdk', 'AttributeValue', 'ProductInput', 'TransactionInput', 'PromotionInput', 'ImpressionInput', 'DATA_PLAN', 'toSdkProduct', 'SdkTransaction']);
  take(wanted: string, alt?: string): string {
    for (const c of [wanted, alt].filter((x): x is string => !!x)) {
      if (!this.used.has(c)) {
        this.used.add(c);
        return c;
      }
    }
    for (let i = 2; ; i++) {
      if (!this.used.has(`${wanted}${i}`)) {
        this.used.add(`${wanted}${i}`);
        return `${wanted}${i}`;
      }
    }
  }
}

interface Emit {
  file: SourceFile;
  names: Names;
  need: Set<'product' | 'transaction' | 'promotion'>;
  functions: GeneratedFunction[];
  skipped: { match_key: string; why: string }[];
}

function docFor(point: PlanPoint, extra: string[] = []): string {
  const lines = [point.description.trim() || '(no description in the plan)', '', `Data point \`${point.matchKey}\`.`, ...extra];
  return lines.join('\n');
}

function addType(e: Emit, name: string, shape: ObjectShape, doc: string): void {
  e.file.addTypeAlias({ name, isExported: true, type: shape.text, docs: [doc] });
}

interface Param {
  name: string;
  type: string;
  initializer?: string;
}

/** `attributes` parameter: none when nothing may be sent, required when some attribute is, else defaulting to {}. */
function attributeParam(typeName: string, shape: ObjectShape): { param?: Param; arg: string } {
  if (!shape.open && shape.keys.length === 0) return { arg: '{}' };
  if (shape.required.length) return { param: { name: 'attributes', type: typeName }, arg: 'attributes' };
  return { param: { name: 'attributes', type: typeName, initializer: '{}' }, arg: 'attributes' };
}

function customEvent(e: Emit, p: PlanPoint): void {
  const type = String(p.criteria.custom_event_type);
  const member = EVENT_TYPES[type];
  if (!member) {
    e.skipped.push({ match_key: p.matchKey, why: `custom_event_type "${type}" has no web SDK EventType` });
    return;
  }
  const base = pascal(String(p.criteria.event_name));
  const fn = e.names.take(`log${base}`, `log${base}${member}`);
  const typeName = e.names.take(`${fn.slice(3)}Attributes`);
  const shape = objectShape(at(p.definition, 'data', 'custom_attributes'));
  const a = attributeParam(typeName, shape);
  if (a.param) addType(e, typeName, shape, `Attributes of ${quote(String(p.criteria.event_name))} (${type}).`);
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', docs: [docFor(p)],
    parameters: a.param ? [a.param] : [],
    statements: [`mParticle.logEvent(${quote(String(p.criteria.event_name))}, mParticle.EventType.${member}, ${a.arg});`],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function screenView(e: Emit, p: PlanPoint): void {
  const base = `${pascal(String(p.criteria.screen_name))}PageView`;
  const fn = e.names.take(`log${base}`);
  const typeName = e.names.take(`${base}Attributes`);
  const shape = objectShape(at(p.definition, 'data', 'custom_attributes'));
  const a = attributeParam(typeName, shape);
  if (a.param) addType(e, typeName, shape, `Attributes of the ${quote(String(p.criteria.screen_name))} screen.`);
  // Without attributes the SDK sends { hostname, title }; an explicit {} keeps a closed point clean.
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', docs: [docFor(p)],
    parameters: a.param ? [a.param] : [],
    statements: [`mParticle.logPageView(${quote(String(p.criteria.screen_name))}, ${a.arg});`],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

/** The product type of a commerce point: ProductInput with its planned attributes and required fields. */
function productType(e: Emit, base: string, productSchema: unknown): string {
  e.need.add('product');
  const attrs = objectShape(at(productSchema, 'custom_attributes'));
  const attrName = e.names.take(`${base}ProductAttributes`);
  addType(e, attrName, attrs, `Product attributes planned for ${base}.`);
  const req = [...requiredOf(productSchema)].map((k) => PRODUCT_FIELDS[k]).filter((f) => f && OPTIONAL_PRODUCT_FIELDS.has(f));
  return req.length ? `ProductInput<${attrName}> & Required<Pick<ProductInput<${attrName}>, ${req.map(quote).join(' | ')}>>` : `ProductInput<${attrName}>`;
}

function commerceAttributes(e: Emit, base: string, p: PlanPoint): { field?: string; arg: string } {
  const shape = objectShape(at(p.definition, 'data', 'custom_attributes'));
  if (!shape.open && shape.keys.length === 0) return { arg: '{}' };
  const typeName = e.names.take(`${base}Attributes`);
  addType(e, typeName, shape, `Event attributes of ${p.matchKey}.`);
  return shape.required.length ? { field: `attributes: ${typeName}`, arg: 'event.attributes' } : { field: `attributes?: ${typeName}`, arg: 'event.attributes ?? {}' };
}

function arrayOf(t: string): string {
  return /[&|]/.test(t) ? `(${t})[]` : `${t}[]`;
}

function eventParam(fields: string[]): { name: string; type: string } {
  return { name: 'event', type: `{\n${fields.map((f) => `${f};`).join('\n')}\n}` };
}

function productAction(e: Emit, p: PlanPoint): void {
  const action = String(p.criteria.action);
  const member = PRODUCT_ACTIONS[action];
  if (!member) {
    e.skipped.push({ match_key: p.matchKey, why: `product action "${action}" has no web SDK ProductActionType` });
    return;
  }
  const base = `Product${pascal(action)}`;
  const fn = e.names.take(`log${base}`);
  const pa = at(p.definition, 'data', 'product_action');
  const product = productType(e, base, at(pa, 'products', '[]'));
  const attrs = commerceAttributes(e, base, p);
  const paRequired = requiredOf(pa);
  const txRequired = [...paRequired].map((k) => TRANSACTION_FIELDS[k]).filter(Boolean);
  const fields = [`products: ${arrayOf(product)}`];
  let txArg = 'undefined';
  if (txRequired.length || Object.keys(TRANSACTION_FIELDS).some((k) => at(pa, k) !== undefined) || action === 'purchase' || action === 'refund') {
    e.need.add('transaction');
    const t = txRequired.length ? `TransactionInput & Required<Pick<TransactionInput, ${txRequired.map(quote).join(' | ')}>>` : 'TransactionInput';
    fields.push(txRequired.length ? `transaction: ${t}` : `transaction?: ${t}`);
    txArg = txRequired.length ? transactionLiteral('event.transaction') : `event.transaction && (${transactionLiteral('event.transaction')})`;
  }
  if (attrs.field) fields.push(attrs.field);
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', docs: [docFor(p)], parameters: [eventParam(fields)],
    statements: [`mParticle.eCommerce.logProductAction(mParticle.ProductActionType.${member}, event.products.map(toSdkProduct), ${attrs.arg}, undefined, ${txArg});`],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function promotionAction(e: Emit, p: PlanPoint): void {
  const action = String(p.criteria.action);
  const member = PROMOTION_TYPES[action];
  if (!member) {
    e.skipped.push({ match_key: p.matchKey, why: `promotion action "${action}" has no web SDK PromotionType` });
    return;
  }
  e.need.add('promotion');
  const base = `Promotion${pascal(action)}`;
  const fn = e.names.take(`log${base}`);
  const attrs = commerceAttributes(e, base, p);
  const fields = ['promotions: PromotionInput[]', ...(attrs.field ? [attrs.field] : [])];
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', docs: [docFor(p)], parameters: [eventParam(fields)],
    statements: [`mParticle.eCommerce.logPromotion(mParticle.PromotionType.${member}, event.promotions.map((p) => mParticle.eCommerce.createPromotion(p.id, p.creative, p.name, p.position)), ${attrs.arg});`],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function productImpression(e: Emit, p: PlanPoint): void {
  const base = 'ProductImpression';
  const fn = e.names.take(`log${base}`);
  const product = productType(e, base, at(p.definition, 'data', 'product_impressions', '[]', 'products', '[]'));
  const attrs = commerceAttributes(e, base, p);
  const fields = [`impressions: { list: string; products: ${arrayOf(product)} }[]`, ...(attrs.field ? [attrs.field] : [])];
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', docs: [docFor(p)], parameters: [eventParam(fields)],
    statements: [`mParticle.eCommerce.logImpression(event.impressions.map((i) => mParticle.eCommerce.createImpression(i.list, i.products.map(toSdkProduct))), ${attrs.arg});`],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function userAttributes(e: Emit, p: PlanPoint): void {
  const fn = e.names.take('setUserAttributes');
  const typeName = e.names.take('UserAttributes');
  // Every key is optional here: a call sets some attributes, the profile keeps the others.
  const shape = objectShape(p.definition, { lists: true, allOptional: true });
  e.file.addTypeAlias({ name: typeName, isExported: true, type: shape.text, docs: ['The planned user attributes; set any of them.'] });
  const lists = new Set(Object.entries(isObject(p.definition?.properties) ? p.definition.properties : {}).filter(([, s]) => isObject(s) && (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array')))).map(([k]) => k));
  const statements = ['const user = mParticle.Identity.getCurrentUser();', 'if (!user) return;'];
  for (const k of shape.keys) {
    const v = access('attributes', k);
    statements.push(lists.has(k)
      ? `if (${v} !== undefined) user.setUserAttributeList(${quote(k)}, ${v});`
      : `if (${v} !== undefined) user.setUserAttributes({ ${propertyKey(k)}: ${v} });`);
  }
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', parameters: [{ name: 'attributes', type: typeName }], statements,
    docs: [docFor(p, ['Sets the given attributes on the current user (nothing before the first identity call returns).'])],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function userIdentities(e: Emit, p: PlanPoint): void {
  const props = isObject(p.definition?.properties) ? p.definition.properties : {};
  const keys = Object.keys(props).filter((k) => WEB_IDENTITIES.has(k));
  const other = Object.keys(props).filter((k) => !WEB_IDENTITIES.has(k));
  const fn = e.names.take('identityRequest');
  const typeName = e.names.take('UserIdentities');
  const lines = keys.map((k) => `${propertyKey(k)}?: string | null;`);
  for (const k of other) lines.push(`// "${k}" is planned but not an IDSync identity the web SDK sets.`);
  e.file.addTypeAlias({ name: typeName, isExported: true, type: lines.length ? `{\n${lines.join('\n')}\n}` : 'Record<string, never>', docs: ['The planned user identities (IDSync names).'] });
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'WebSdk.IdentityApiData', parameters: [{ name: 'identities', type: typeName }],
    docs: [docFor(p, ['Builds the request for mParticle.Identity.identify / login / modify.'])],
    statements: ['return { userIdentities: { ...identities } };'],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function crashReport(e: Emit, p: PlanPoint): void {
  const fn = e.names.take('logError');
  const typeName = e.names.take('ErrorAttributes');
  const shape = objectShape(at(p.definition, 'data', 'custom_attributes'));
  const a = attributeParam(typeName, shape);
  if (a.param) addType(e, typeName, shape, 'Attributes of logged errors.');
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', docs: [docFor(p)],
    parameters: [{ name: 'error', type: 'string | { name: string; message: string; stack: string }' }, ...(a.param ? [a.param] : [])],
    statements: [`mParticle.logError(error, ${a.arg});`],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function optOut(e: Emit, p: PlanPoint): void {
  const fn = e.names.take('setOptOut');
  e.file.addFunction({
    name: fn, isExported: true, returnType: 'void', docs: [docFor(p)], parameters: [{ name: 'optOut', type: 'boolean' }],
    statements: ['mParticle.setOptOut(optOut);'],
  });
  e.functions.push({ name: fn, match_key: p.matchKey });
}

function helpers(e: Emit): void {
  if (e.need.has('product')) {
    e.file.addTypeAlias({
      name: 'ProductInput', isExported: true, typeParameters: [{ name: 'A', constraint: 'Record<string, AttributeValue | undefined>', default: 'Record<string, AttributeValue | undefined>' }],
      type: '{\nname: string;\nsku: string;\nprice: number;\nquantity?: number;\nvariant?: string;\ncategory?: string;\nbrand?: string;\nposition?: number;\ncoupon?: string;\nattributes?: A;\n}',
      docs: ['A product, as `mParticle.eCommerce.createProduct` takes it (sku is the batch\'s product id).'],
    });
    e.file.addFunction({
      name: 'toSdkProduct', returnType: 'WebSdk.Product', typeParameters: [{ name: 'A', constraint: 'Record<string, AttributeValue | undefined>' }], parameters: [{ name: 'p', type: 'ProductInput<A>' }],
      statements: ['return mParticle.eCommerce.createProduct(p.name, p.sku, p.price, p.quantity, p.variant, p.category, p.brand, p.position, p.coupon, p.attributes);'],
    });
  }
  if (e.need.has('transaction')) {
    e.file.addTypeAlias({
      name: 'TransactionInput', isExported: true,
      type: '{\n/** transaction_id */\nid?: string | number;\naffiliation?: string;\n/** coupon_code */\ncouponCode?: string;\n/** total_amount */\nrevenue?: number;\n/** shipping_amount */\nshipping?: number;\n/** tax_amount */\ntax?: number;\n/** checkout_step */\nstep?: number;\n/** checkout_options */\noption?: string;\n}',
      docs: ['Transaction attributes of a product action.'],
    });
    e.file.addTypeAlias({
      name: 'SdkTransaction',
      type: '{\nId?: string | number | undefined;\nAffiliation?: string | undefined;\nCouponCode?: string | undefined;\nRevenue?: number | undefined;\nShipping?: number | undefined;\nTax?: number | undefined;\nStep?: number | undefined;\nOption?: string | undefined;\n}',
      docs: ['The transaction keys the web SDK reads.'],
    });
  }
  if (e.need.has('promotion')) {
    e.file.addTypeAlias({ name: 'PromotionInput', isExported: true, type: '{\nid: string;\ncreative?: string;\nname?: string;\nposition?: number;\n}', docs: ['A promotion, as `mParticle.eCommerce.createPromotion` takes it.'] });
  }
}

export function generateTracking(plan: CompiledPlan, opts: CodegenOptions = {}): CodegenResult {
  const cv = plan.getVersion(opts.version);
  if (!cv) throw new Error(`${plan.file} has no version ${opts.version}`);
  const v = cv.version;
  const { IndentationText, NewLineKind, Project, QuoteKind, VariableDeclarationKind } = morph();
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { quoteKind: QuoteKind.Single, indentationText: IndentationText.TwoSpaces, newLineKind: NewLineKind.LineFeed, useTrailingCommas: true },
  });
  const file = project.createSourceFile('tracking.ts', '');
  const e: Emit = { file, names: new Names(), need: new Set(), functions: [], skipped: [] };
  const sdk = opts.sdk ?? 'import';

  if (sdk === 'import') file.addImportDeclaration({ defaultImport: 'mParticleSdk', moduleSpecifier: '@mparticle/web-sdk' });
  file.addImportDeclaration({ isTypeOnly: true, namespaceImport: 'WebSdk', moduleSpecifier: 'mparticle__web-sdk' });
  if (sdk === 'import') {
    file.addVariableStatement({
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: 'mParticle', initializer: 'mParticleSdk as unknown as typeof WebSdk' }],
      docs: ['The web SDK, typed by @types/mparticle__web-sdk (the types bundled with @mparticle/web-sdk do not describe its API).'],
    });
  } else {
    file.addStatements(['/** The snippet\'s global `window.mParticle`, typed by @types/mparticle__web-sdk; looked up at each call. */', 'declare const mParticle: typeof WebSdk;']);
  }
  if (plan.id) {
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: 'DATA_PLAN', initializer: `{ planId: ${quote(plan.id)}${v.version !== undefined ? `, planVersion: ${v.version}` : ''} } as const` }],
      docs: ['Pass as `dataPlan` in the mParticle config, so batches name the plan version this module was generated from.'],
    });
  }
  file.addTypeAlias({ name: 'AttributeValue', isExported: true, type: 'string | number | boolean | null', docs: ['What the web SDK sends as an attribute value (objects and arrays are dropped).'] });

  for (const p of v.points) {
    if (!p.key) {
      e.skipped.push({ match_key: p.matchKey || p.matchType, why: 'the data point matches nothing (see dataplan plan check)' });
      continue;
    }
    switch (p.matchType) {
      case 'custom_event': customEvent(e, p); break;
      case 'screen_view': screenView(e, p); break;
      case 'product_action': productAction(e, p); break;
      case 'promotion_action': promotionAction(e, p); break;
      case 'product_impression': productImpression(e, p); break;
      case 'user_attributes': userAttributes(e, p); break;
      case 'user_identities': userIdentities(e, p); break;
      case 'crash_report': crashReport(e, p); break;
      case 'opt_out': optOut(e, p); break;
      default: e.skipped.push({ match_key: p.matchKey, why: NOT_CALLABLE[p.matchType] ?? 'not callable from the web SDK' });
    }
  }
  helpers(e);

  const from = opts.source ?? basename(plan.file);
  const header = [
    '/**',
    ` * Typed mParticle calls for data plan ${plan.id ? `"${plan.id}"` : from}${v.version !== undefined ? ` version ${v.version}` : ''}: one function per data point.`,
    ` * Generated by \`dataplan codegen\` from ${from}. Do not edit; regenerate when the plan changes.`,
    ...(e.skipped.length ? [' *', ' * No function for:', ...e.skipped.map((s) => ` *   ${s.match_key}: ${s.why}`)] : []),
    ' */',
  ];
  file.insertStatements(0, header.join('\n'));
  file.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true });
  return { text: file.getFullText(), functions: e.functions, skipped: e.skipped };
}
