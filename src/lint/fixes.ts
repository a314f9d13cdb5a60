/** Suggestion fixes: rewrite a literal, rename a key, change an event type or an SDK enum member. Range-based, so they work on any parser's nodes. */
import type { TSESTree } from '@typescript-eslint/types';
import { CUSTOM_EVENT_TYPE_BY_NUMBER, EVENT_TYPE, type Node, type RecognizedCall, type Site } from './recognize/index.js';

export interface Fixer {
  replaceTextRange(range: [number, number], text: string): unknown;
  insertTextAfterRange(range: [number, number], text: string): unknown;
}
export type Fix = (fixer: Fixer) => unknown;

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A string in the quotes of the literal it replaces. */
export function quoted(value: string, like?: TSESTree.Literal | TSESTree.TemplateLiteral): string {
  if (like?.type === 'TemplateLiteral') return '`' + value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  const q = like?.type === 'Literal' && like.raw.startsWith('"') ? '"' : "'";
  const body = JSON.stringify(value).slice(1, -1).replace(/\\"/g, '"');
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body.replace(/"/g, '\\"')) + q;
}

export function replaceLiteral(lit: TSESTree.Literal | TSESTree.TemplateLiteral, value: string): Fix {
  return (fixer) => fixer.replaceTextRange(lit.range, quoted(value, lit));
}

/** Rename an object key (or a key passed as a string argument) to `name`. */
export function renameKey(site: Site, name: string): Fix | undefined {
  if (site.keyLiteral) return replaceLiteral(site.keyLiteral, name);
  const key = site.key;
  if (!key) return undefined;
  if (key.type === 'Literal' && typeof key.value === 'string') return replaceLiteral(key, name);
  if (key.type === 'TemplateLiteral') return replaceLiteral(key, name);
  if (key.type !== 'Identifier') return undefined;
  const prop = site.node;
  const text = IDENT.test(name) ? name : quoted(name);
  if (prop.type === 'Property' && prop.shorthand) {
    return (fixer) => fixer.replaceTextRange(prop.range, `${text}: ${key.name}`);
  }
  if (prop.type === 'Property' && !prop.computed) return (fixer) => fixer.replaceTextRange(key.range, text);
  // `ev.custom_attributes.lable = …` (a member expression's property): only identifiers fit there.
  return IDENT.test(name) ? (fixer) => fixer.replaceTextRange(key.range, name) : undefined;
}

/** Replace the member of `X.Enum.Member`. */
export function fixMember(member: Node, name: string): Fix | undefined {
  if (member.type !== 'MemberExpression' || member.computed || member.property.type !== 'Identifier') return undefined;
  const prop = member.property;
  return (fixer) => fixer.replaceTextRange(prop.range, name);
}

function webMemberFor(sub: string): string | undefined {
  return Object.keys(EVENT_TYPE).find((m) => CUSTOM_EVENT_TYPE_BY_NUMBER[EVENT_TYPE[m]] === sub);
}

/** Change a custom event's type to `sub` (a batch name such as `navigation`) where the type is written. */
export function fixEventType(call: RecognizedCall, sub: string, text: string): Fix | undefined {
  const site = call.sites['#/data/custom_event_type'];
  const web = webMemberFor(sub);
  const number = web !== undefined ? EVENT_TYPE[web] : undefined;
  if (site?.member) {
    const objText = text.slice(site.member.object.range[0], site.member.object.range[1]);
    const nodeStyle = /CustomEventType\s*$/.test(objText);
    const name = nodeStyle ? sub : web;
    return name ? fixMember(site.member, name) : undefined;
  }
  if (site?.literal) {
    const lit = site.literal;
    if (lit.type === 'Literal' && typeof lit.value === 'number') return number !== undefined ? (fixer) => fixer.replaceTextRange(lit.range, String(number)) : undefined;
    const current = lit.type === 'Literal' ? String(lit.value) : lit.quasis[0].value.cooked ?? '';
    return replaceLiteral(lit, current in EVENT_TYPE && web ? web : sub);
  }
  // No type written: add one after the name of a direct logEvent call.
  const c = call.node;
  if (call.via.length === 0 && call.method === 'logEvent' && c.type === 'CallExpression' && c.arguments.length === 1 && web) {
    const callee = c.callee.type === 'ChainExpression' ? c.callee.expression : c.callee;
    const recv = callee.type === 'MemberExpression' && !callee.computed ? text.slice(callee.object.range[0], callee.object.range[1]) : undefined;
    const arg = c.arguments[0];
    return (fixer) => fixer.insertTextAfterRange(arg.range, recv ? `, ${recv}.EventType.${web}` : `, ${number}`);
  }
  return undefined;
}
