// A small JSON Schema (2020-12) validator for the keywords docs/*.schema.json use, so that
// tests can check every JSON report against the documented schema without a dependency.
// A keyword it does not know is an error, never silently ignored.

export type Schema = boolean | { readonly [keyword: string]: unknown };

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', '$comment', 'title', 'description', 'examples']);
const KNOWN = new Set([
  ...ANNOTATIONS, '$ref', 'type', 'const', 'enum', 'properties', 'required', 'additionalProperties', 'items',
  'prefixItems', 'minItems', 'maxItems', 'minimum', 'maximum', 'minLength', 'pattern', 'oneOf', 'anyOf',
]);

/** Schemas by $id, so a $ref can name another file ("counterexample.schema.json#/$defs/x"). */
export type Registry = ReadonlyMap<string, Schema>;

/** Every place `value` breaks `schema`, as "path: why" lines (empty when valid). */
export function validate(value: unknown, schema: Schema, registry: Registry = new Map()): string[] {
  const errors: string[] = [];
  check(value, schema, '$', schema, errors);
  return errors;

  /** `base` is the document `s` comes from: its local $refs resolve there. */
  function check(v: unknown, s: Schema, path: string, base: Schema, errors: string[]): void {
    if (s === true) return;
    if (s === false) {
      errors.push(`${path}: not allowed`);
      return;
    }
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`json-schema: unsupported keyword '${k}' at ${path}`);
    if (typeof s.$ref === 'string') {
      const [target, targetBase] = resolveRef(s.$ref, base);
      check(v, target, path, targetBase, errors);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => isType(v, t))) {
        errors.push(`${path}: expected ${types.join(' or ')}, got ${typeName(v)}`);
        return;
      }
    }
    if ('const' in s && JSON.stringify(v) !== JSON.stringify(s.const)) errors.push(`${path}: expected ${JSON.stringify(s.const)}`);
    if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v))) {
      errors.push(`${path}: ${JSON.stringify(v)} is not one of ${JSON.stringify(s.enum)}`);
    }
    if (typeof v === 'number') {
      if (typeof s.minimum === 'number' && v < s.minimum) errors.push(`${path}: ${v} < minimum ${s.minimum}`);
      if (typeof s.maximum === 'number' && v > s.maximum) errors.push(`${path}: ${v} > maximum ${s.maximum}`);
    }
    if (typeof v === 'string') {
      if (typeof s.minLength === 'number' && v.length < s.minLength) errors.push(`${path}: shorter than ${s.minLength}`);
      if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v)) errors.push(`${path}: does not match ${s.pattern}`);
    }
    if (Array.isArray(v)) {
      if (typeof s.minItems === 'number' && v.length < s.minItems) errors.push(`${path}: fewer than ${s.minItems} items`);
      if (typeof s.maxItems === 'number' && v.length > s.maxItems) errors.push(`${path}: more than ${s.maxItems} items`);
      const prefix = (s.prefixItems ?? []) as Schema[];
      v.forEach((item, i) => {
        const itemSchema = i < prefix.length ? prefix[i] : (s.items as Schema | undefined);
        if (itemSchema !== undefined) check(item, itemSchema, `${path}[${i}]`, base, errors);
      });
    }
    if (isObject(v)) {
      const props = (s.properties ?? {}) as Record<string, Schema>;
      for (const r of (s.required ?? []) as string[]) if (!(r in v)) errors.push(`${path}: missing required '${r}'`);
      for (const [k, x] of Object.entries(v)) {
        if (k in props) check(x, props[k]!, `${path}.${k}`, base, errors);
        else if (s.additionalProperties !== undefined) check(x, s.additionalProperties as Schema, `${path}.${k}`, base, errors);
      }
    }
    const passes = (alt: Schema) => {
      const e: string[] = [];
      check(v, alt, path, base, e);
      return e.length === 0;
    };
    if (Array.isArray(s.oneOf)) {
      const passing = (s.oneOf as Schema[]).filter(passes).length;
      if (passing !== 1) errors.push(`${path}: matches ${passing} of the oneOf alternatives, expected exactly 1`);
    }
    if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some(passes)) errors.push(`${path}: matches none of the anyOf alternatives`);
  }

  function resolveRef(ref: string, base: Schema): [Schema, Schema] {
    const [file, pointer] = ref.split('#') as [string, string | undefined];
    const doc = file === '' ? base : registry.get(file);
    if (doc === undefined) throw new Error(`json-schema: unknown $ref document '${file}'`);
    if (!pointer) return [doc, doc];
    let node: unknown = doc;
    for (const part of pointer.split('/').slice(1)) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`json-schema: $ref '${ref}' does not resolve`);
    return [node as Schema, doc];
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isType(v: unknown, t: string): boolean {
  switch (t) {
    case 'null': return v === null;
    case 'boolean': return typeof v === 'boolean';
    case 'integer': return Number.isInteger(v);
    case 'number': return typeof v === 'number';
    case 'string': return typeof v === 'string';
    case 'array': return Array.isArray(v);
    case 'object': return isObject(v);
    default: throw new Error(`json-schema: unknown type '${t}'`);
  }
}

const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
