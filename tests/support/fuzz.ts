import fc from "fast-check";

/**
 * fast-check arbitraries built from the OpenAPI document's JSON Schemas (which are generated
 * from the zod schemas the routes parse with): values that satisfy a schema, values that break
 * it in one place or many, and the inputs a hostile client sends (NUL characters, integers
 * past the columns' range, numbers spelt `1e3` or `0x10`, deep nesting, bodies over the limit).
 */

// JSON Schema nodes as zod writes them; read loosely, field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonSchema = Record<string, any>;

export interface FuzzEnv {
  /** the only directory generated paths point into (datastores and marketplaces create folders) */
  safeDir: string;
  /** the only origin generated URLs point to (a closed loopback port: nothing is fetched) */
  safeOrigin: string;
  /** ids of objects that exist: a body's `…Id` fields name them, so requests get past lookups */
  ids: number[];
  /** values that satisfy what a schema cannot say (template text, a driver's config), by property name */
  examples: Record<string, unknown[]>;
}

export const NASTY_STRINGS = [
  "\u0000",
  "a\u0000b",
  "",
  " ",
  "%00",
  "../../../etc/passwd",
  "é🙂\u202e",
  "x".repeat(300),
  "<script>alert(1)</script>",
  "' OR 1=1 --",
  "\\",
  "1e3",
  "0x10",
  "-1",
  "2147483648",
  "9007199254740993",
  "NaN",
  "null",
];

export const NASTY_NUMBERS = [0, -1, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53 - 1, -(2 ** 53 - 1), 1.5, 1e300, -0];

/** Path or query integers as text, valid-looking or not. */
export const NASTY_INT_TEXTS = [
  "0",
  "-1",
  "2147483647",
  "2147483648",
  "4294967296",
  "9007199254740991",
  "99999999999999999999",
  "1e3",
  "0x10",
  "1.5",
  " 1",
  "+1",
  "\u0000",
  "1\u00002",
  "abc",
  "",
];

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.constantFrom(...NASTY_NUMBERS),
  fc.constantFrom(null, true, false, [], {}, [null], { "\u0000": 1 }, JSON.parse('{"__proto__":{"admin":true}}')),
  fc.string({ maxLength: 20 }),
  fc.integer(),
);

/** The same text with a NUL character somewhere in it. */
const withNul = (text: fc.Arbitrary<string>) =>
  fc.tuple(text, fc.nat()).map(([t, at]) => {
    const i = t.length ? at % (t.length + 1) : 0;
    return `${t.slice(0, i)}\u0000${t.slice(i)}`;
  });

const cap = (n: unknown, max: number) => (typeof n === "number" ? Math.min(n, max) : max);

function stringArb(s: JsonSchema, key: string, env: FuzzEnv): fc.Arbitrary<string> {
  const minLength = typeof s.minLength === "number" ? s.minLength : 0;
  const maxLength = cap(s.maxLength, 64);
  if (/dir|path/i.test(key)) {
    return fc.constantFrom(
      `${env.safeDir}/a`,
      `${env.safeDir}/b/c`,
      `${env.safeDir}/../x`,
      "relative/dir",
      env.safeDir,
    );
  }
  if (s.format === "uri" || /url|endpoint/i.test(key)) {
    return fc.constantFrom(
      `${env.safeOrigin}/disk.qcow2`,
      `${env.safeOrigin}/`,
      "ftp://127.0.0.1/x",
      "not a url",
      "http://[::1]:1/x",
    );
  }
  if (s.format === "email") return fc.emailAddress();
  if (s.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (typeof s.pattern !== "string" && !s.format) {
    // plain words, so that valid requests reach the services (the mutated ones bring the rest)
    return fc
      .stringMatching(/^[a-z][a-z0-9-]{0,15}$/)
      .filter((v) => v.length >= minLength)
      .map((v) => v.slice(0, Math.max(minLength, maxLength)));
  }
  if (typeof s.pattern === "string") {
    return fc
      .stringMatching(new RegExp(s.pattern))
      .filter((v) => v.length >= minLength && v.length <= (s.maxLength ?? Infinity))
      .map((v) => v.slice(0, Math.max(minLength, maxLength)));
  }
  return fc.string({ minLength, maxLength: Math.max(minLength, maxLength), unit: "grapheme" });
}

/**
 * Values for schema `s`. With `mutate` > 0 every nested value is replaced, with that weight
 * against 10, by something hostile; at 0 the value satisfies the schema (as far as JSON
 * Schema can say: refinements such as "give at least one field" are the server's to check).
 */
export function arbitraryFor(s: JsonSchema, env: FuzzEnv, mutate = 0, key = "", depth = 0): fc.Arbitrary<unknown> {
  const plain = plainArbitrary(s, env, mutate, key, depth);
  return mutate > 0 ? fc.oneof({ weight: 10, arbitrary: plain }, { weight: mutate, arbitrary: nastyValue }) : plain;
}

function plainArbitrary(
  s: JsonSchema,
  env: FuzzEnv,
  mutate: number,
  key: string,
  depth: number,
): fc.Arbitrary<unknown> {
  if (!s || typeof s !== "object" || depth > 6) return fc.jsonValue({ maxDepth: 1 });
  const examples = env.examples[key];
  if (examples?.length && depth > 0)
    return fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...examples) },
      { weight: 1, arbitrary: plainArbitrary(s, { ...env, examples: {} }, mutate, key, depth) },
    );
  if ("const" in s) return fc.constant(s.const);
  if (Array.isArray(s.enum)) return fc.constantFrom(...(s.enum as unknown[]));
  const alternatives = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  if (alternatives?.length) return fc.oneof(...alternatives.map((a) => arbitraryFor(a, env, mutate, key, depth + 1)));
  if (Array.isArray(s.allOf) && s.allOf.length) return arbitraryFor(s.allOf[0], env, mutate, key, depth + 1);
  if (Array.isArray(s.type))
    return fc.oneof(...s.type.map((t: string) => arbitraryFor({ ...s, type: t }, env, mutate, key, depth + 1)));
  switch (s.type) {
    case "string":
      return mutate > 0
        ? fc.oneof(
            { weight: 3, arbitrary: stringArb(s, key, env) },
            { weight: 1, arbitrary: withNul(stringArb(s, key, env)) },
          )
        : stringArb(s, key, env);
    case "integer":
      if (/Ids?$|^vm_template$/.test(key) && env.ids.length)
        return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...env.ids) }, { weight: 1, arbitrary: fc.nat(99) });
      return fc.integer({
        min: Math.max(typeof s.minimum === "number" ? s.minimum : -(2 ** 31), -(2 ** 31)),
        max: Math.min(typeof s.maximum === "number" ? s.maximum : 2 ** 31, 2 ** 31),
      });
    case "number":
      return fc.double({
        min: typeof s.minimum === "number" ? s.minimum : -1e9,
        max: typeof s.maximum === "number" ? s.maximum : 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(arbitraryFor(s.items ?? {}, env, mutate, key, depth + 1), {
        minLength: typeof s.minItems === "number" ? s.minItems : 0,
        maxLength: Math.max(cap(s.maxItems, 4), typeof s.minItems === "number" ? s.minItems : 0),
      });
    case "object":
      return objectArbitrary(s, env, mutate, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(s: JsonSchema, env: FuzzEnv, mutate: number, depth: number): fc.Arbitrary<unknown> {
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set<string>(s.required ?? []);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, child] of Object.entries(properties))
    model[name] = arbitraryFor(child, env, mutate, name, depth + 1);
  // a fuzzed object may also lose a required key
  const requiredKeys = mutate > 0 ? [] : [...required].filter((k) => k in model);
  const known = fc.record(model, { requiredKeys });
  const extra =
    s.additionalProperties && typeof s.additionalProperties === "object"
      ? fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), arbitraryFor(s.additionalProperties, env, mutate), {
          maxKeys: 3,
        })
      : mutate > 0
        ? fc.dictionary(fc.constantFrom("unknown", "\u0000", "__proto__", "constructor"), nastyValue, { maxKeys: 1 })
        : fc.constant({});
  return fc.tuple(known, extra).map(([k, e]) => ({ ...e, ...k }));
}

/** Raw bodies no schema describes: broken JSON, the wrong media type, nesting, size. */
export const hostileBodies: fc.Arbitrary<{ raw: string; contentType: string }> = fc.oneof(
  fc.constantFrom(
    { raw: "{", contentType: "application/json" },
    { raw: "null", contentType: "application/json" },
    { raw: "[]", contentType: "application/json" },
    { raw: '"text"', contentType: "application/json" },
    { raw: '{"a":1}', contentType: "text/plain" },
    { raw: "name=x", contentType: "application/x-www-form-urlencoded" },
    { raw: "[".repeat(20_000) + "]".repeat(20_000), contentType: "application/json" },
    { raw: `{"name":"${"x".repeat(70_000)}"}`, contentType: "application/json" },
    { raw: `{"name":"a\\u0000b"}`, contentType: "application/json" },
  ),
  fc.string({ maxLength: 40 }).map((raw) => ({ raw, contentType: "application/json" })),
);

/** A query string from a query schema's properties: each value as a URL carries it (text). */
export function queryArbitrary(
  parameters: { name: string; in: string; schema: JsonSchema }[],
  env: FuzzEnv,
): fc.Arbitrary<string> {
  const query = parameters.filter((p) => p.in === "query");
  const model: Record<string, fc.Arbitrary<string>> = {};
  const validModel: Record<string, fc.Arbitrary<string>> = {};
  for (const p of query) {
    const valid = arbitraryFor(p.schema, env, 0, p.name).map((v) => String(v));
    validModel[p.name] = valid;
    model[p.name] = fc.oneof(
      { weight: 3, arbitrary: valid },
      { weight: 1, arbitrary: withNul(valid) },
      { weight: 1, arbitrary: fc.constantFrom(...NASTY_INT_TEXTS, ...NASTY_STRINGS) },
    );
  }
  const extra = fc.dictionary(fc.constantFrom("unknown", "page", "sort", "q"), fc.constantFrom(...NASTY_STRINGS), {
    maxKeys: 1,
  });
  // a whole query that is valid, or one fuzzed in any of its parameters
  const valid = fc.tuple(fc.record(validModel, { requiredKeys: [] }), fc.constant({}));
  const fuzzed = fc.tuple(fc.record(model, { requiredKeys: [] }), extra);
  return fc.oneof(valid, fuzzed).map(([known, more]) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ ...more, ...known })) if (v !== undefined) params.append(k, v);
    const text = params.toString();
    return text ? `?${text}` : "";
  });
}
