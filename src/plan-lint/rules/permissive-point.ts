/** Data points that check nothing: no attribute definitions and additional attributes allowed. */
import { PLATFORM_TYPES, isObject } from '../../plan/index.js';
import { attributeContainers, definitionPointer, propertyAt } from '../points.js';
import type { PlanRule } from '../types.js';

export interface PermissiveOptions {
  /** Match types to check (default: every type the platform plans). */
  types: string[];
  /** Also report attribute objects that list attributes but still allow unlisted ones. */
  reportOpenWithAttributes: boolean;
}

type Ids = 'noSchema' | 'noAttributes' | 'openEmpty' | 'open';

export const permissivePoint: PlanRule<PermissiveOptions, Ids> = {
  id: 'permissive-point',
  meta: {
    description: 'data points define their attributes and do not allow additional ones everywhere',
    messages: {
      noSchema: 'data point has no schema: every event that matches it passes, whatever its attributes',
      noAttributes: 'data point plans no attributes and allows any: {{what}} is not checked',
      openEmpty: '{{what}} defines no attributes and allows additional ones: anything passes',
      open: '{{what}} allows attributes that are not listed (additionalProperties is not false): unplanned attributes go unreported',
    },
    schema: {
      type: 'object',
      properties: { types: { type: 'array', items: { type: 'string' } }, reportOpenWithAttributes: { type: 'boolean' } },
      additionalProperties: false,
    },
    defaultOptions: { types: [...PLATFORM_TYPES], reportOpenWithAttributes: false },
  },
  check(ctx) {
    for (const point of ctx.version.version.points) {
      if (!ctx.options.types.includes(point.matchType)) continue;
      const def = point.definition;
      const isEvent = point.matchType !== 'user_attributes' && point.matchType !== 'user_identities';
      const what = point.matchType === 'user_attributes' ? 'the user attribute map' : point.matchType === 'user_identities' ? 'the identity map' : 'custom_attributes';
      if (!def || Object.keys(def).length === 0) {
        ctx.report({ point, pointer: def ? definitionPointer(point) : `${point.pointer}/validator`, messageId: 'noSchema' });
        continue;
      }
      if (isEvent && !propertyAt(def, ['data', 'custom_attributes'])) {
        // Commerce points may plan only their products; that still checks something.
        const data = propertyAt(def, ['data']);
        const plansOther = data && isObject(data.node.properties) && Object.keys(data.node.properties).some((k) => k !== 'event_name' && k !== 'custom_event_type' && k !== 'screen_name');
        if (!plansOther) ctx.report({ point, pointer: definitionPointer(point) + (data ? data.at : ''), messageId: 'noAttributes', data: { what } });
        continue;
      }
      for (const c of attributeContainers(point)) {
        if (c.kind === 'product_attribute') continue;
        if (c.node.additionalProperties === false) continue;
        const listed = isObject(c.node.properties) && Object.keys(c.node.properties).length > 0;
        const pointer = `${c.pointer}/additionalProperties`;
        if (!listed) ctx.report({ point, pointer: c.node.additionalProperties === undefined ? c.pointer : pointer, messageId: 'openEmpty', data: { what } });
        else if (ctx.options.reportOpenWithAttributes) ctx.report({ point, pointer: c.node.additionalProperties === undefined ? c.pointer : pointer, messageId: 'open', data: { what } });
      }
    }
  },
};
