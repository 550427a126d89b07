import { FAILSAFE_SCHEMA, Type, load } from 'js-yaml';

// The catalogue is YAML 1.2 as the `yaml` library reads it: that library also locates every
// mistake by line and column, which the catalogue's errors rely on. It is several times slower
// than js-yaml, though, so a catalogue file is first read with js-yaml set up to resolve values
// the same way; the `yaml` library reads only the files js-yaml refuses (a mistake, which it
// then locates) and those using constructs where the two might differ.

/** The `yaml` library's YAML 1.2 core schema (yaml/dist/schema/core), as js-yaml types. */
const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string) => /^(?:~|[Nn]ull|NULL)?$/.test(data),
  construct: () => null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(data),
  construct: (data: string) => data[0] === 't' || data[0] === 'T',
});

const OCTAL = /^0o[0-7]+$/;
const DECIMAL = /^[-+]?[0-9]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => OCTAL.test(data) || DECIMAL.test(data) || HEX.test(data),
  construct: (data: string) => (OCTAL.test(data) ? parseInt(data.slice(2), 8) : HEX.test(data) ? parseInt(data.slice(2), 16) : parseInt(data, 10)),
});

const SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXPONENT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FRACTION = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string) => SPECIAL.test(data) || EXPONENT.test(data) || FRACTION.test(data),
  construct: (data: string) =>
    SPECIAL.test(data)
      ? data.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : data[0] === '-'
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY
      : parseFloat(data),
});

// Order matters: the first type whose pattern matches a plain scalar wins, as in `yaml`.
const SCHEMA = FAILSAFE_SCHEMA.extend({ implicit: [nullType, boolType, intType, floatType] });

/**
 * What the fast reader leaves to the `yaml` library, where the two could disagree: anchors and
 * aliases (whose expansion `yaml` limits), tags, directives (which can change the YAML
 * version), explicit, empty, null and collection keys. The patterns look at the raw text, so a
 * string that merely contains such a character sends the file the slow way: slower, never
 * different.
 */
const LEFT_TO_YAML = /(?:^|[\s[{,])(?:[&*!][^\s,[\]{}]|!|\?(?:\s|$)|(?:~|[Nn]ull|NULL)?:(?:\s|$))|^%|[\]}]\s*:(?:\s|$)/m;

/**
 * The file's data as the `yaml` library would give it, or undefined when the fast reader cannot
 * vouch for that (it found a mistake, or the file uses a construct left to `yaml`).
 */
export function readYamlFast(source: string): unknown {
  if (LEFT_TO_YAML.test(source)) return undefined;
  let data: unknown;
  try {
    data = load(source, { schema: SCHEMA });
  } catch {
    return undefined;
  }
  // An empty file: `yaml` gives null where js-yaml gives undefined.
  return data === undefined ? null : data;
}
