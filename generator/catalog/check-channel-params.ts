/**
 * A channel's `{param}` placeholders are filled from the payload of every
 * event published on it: each must be a required string, number or
 * integer property of the payload's top level.
 */
import type { DocChannel, DocEvent, DocType } from './document.js';
import { isYamlMap, own, type Reader, type YamlMap } from './reader.js';

const PARAM_TYPES = ['integer', 'number', 'string'];

/** Follows `$ref: "#/types/X"` chains to the schema they name (stops on unknown names or cycles). */
export function resolveRefs(schema: unknown, types: readonly DocType[]): unknown {
  let current = schema;
  const seen = new Set<string>();
  for (;;) {
    const ref = isYamlMap(current) ? own(current, '$ref') : undefined;
    const name = typeof ref === 'string' ? /^#\/types\/(.+)$/.exec(ref)?.[1] : undefined;
    if (name === undefined || seen.has(name)) return current;
    seen.add(name);
    const target = types.find((t) => t.name === name)?.schema?.value;
    if (target === undefined) return current;
    current = target;
  }
}

/** Checks the placeholders of `channel` against the payload of `event`, reported at its `realtime`. */
export function checkChannelParams(
  reader: Reader,
  types: readonly DocType[],
  channel: DocChannel,
  event: DocEvent,
): void {
  const payload = event.payload?.value as YamlMap | undefined;
  if (payload === undefined || channel.params === undefined) return;
  const propertiesValue = own(payload, 'properties');
  const properties = isYamlMap(propertiesValue) ? propertiesValue : {};
  const requiredValue = own(payload, 'required');
  const required = Array.isArray(requiredValue) ? requiredValue : [];
  const at = [...event.path, 'realtime'];
  for (const param of channel.params) {
    const lead = `channel \`${channel.name}\` fills \`{${param}}\` of its pattern from the payload`;
    if (!Object.hasOwn(properties, param)) {
      reader.issues.atValue(
        at,
        `${lead}, but event \`${event.name}\` has no property \`${param}\``,
        `add \`${param}\` to the payload's \`properties\` and \`required\``,
      );
      continue;
    }
    if (!required.includes(param)) {
      reader.issues.atValue(
        at,
        `${lead}, but property \`${param}\` of event \`${event.name}\` is optional`,
        `add \`${param}\` to the payload's \`required\``,
      );
    }
    const schema = resolveRefs(properties[param], types);
    const type = isYamlMap(schema) ? own(schema, 'type') : undefined;
    if (typeof type !== 'string' || !PARAM_TYPES.includes(type)) {
      const actual = typeof type === 'string' ? `\`${type}\`` : 'not of a single type';
      reader.issues.atValue(
        at,
        `${lead}, but property \`${param}\` of event \`${event.name}\` is ${actual}; a channel name takes a string, number or integer`,
        `make \`${param}\` a string, number or integer, or take it out of the pattern`,
      );
    }
  }
}
