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
 * Whether the text goes where js-yaml and `yaml` part ways: `yaml` refuses continuation lines
 * that are not indented past the node they continue, js-yaml takes them at any indentation, and
 * the two fold tabs, blank lines and escaped line breaks inside scalars differently. So the fast
 * reader takes no tab, no flow collection over lines, and a quoted scalar over lines only as a
 * value whose every further line is non-blank, indented past its key, and not joined by an
 * escaped line break. A character-level scan of each line, outside comments.
 */
function partsWays(source: string): boolean {
  if (source.includes('\t')) return true;
  let quote = '';
  let keyColumn = 0;
  for (const line of source.split('\n')) {
    let at = 0;
    while (line[at] === ' ') at++;
    if (quote !== '') {
      // Inside a quoted scalar begun on an earlier line.
      if (line.trim() === '' || at <= keyColumn) return true;
    } else {
      while (line[at] === '-' && (line[at + 1] === ' ' || at + 1 === line.length)) {
        at++;
        while (line[at] === ' ') at++;
      }
      keyColumn = at;
    }
    // Whether the next character begins a node (so a quote opens a scalar, a bracket a collection).
    let tokenStart = quote === '';
    let depth = 0;
    for (; at < line.length; at++) {
      const char = line[at]!;
      if (quote !== '') {
        if (quote === '"' && char === '\\') {
          if (line.slice(at + 1).trim() === '') return true;
          at++;
        } else if (quote === "'" && char === "'" && line[at + 1] === "'") at++;
        else if (char === quote) quote = '';
        continue;
      }
      if (char === ' ' || char === '\r') continue;
      if (char === '#' && (at === 0 || line[at - 1] === ' ')) break;
      if (tokenStart && (char === '"' || char === "'")) {
        // Where a key could be (or a list item), a scalar over lines is left to `yaml`.
        if (at === keyColumn && !closesOnLine(line, at)) return true;
        quote = char;
        tokenStart = false;
      } else if (char === '[' || char === '{') {
        if (tokenStart || depth > 0) depth++;
        tokenStart = depth > 0;
      } else if ((char === ']' || char === '}') && depth > 0) {
        depth--;
        tokenStart = false;
      } else {
        tokenStart = (char === ',' && depth > 0) || (char === ':' && (at + 1 === line.length || /[\s,[\]{}]/.test(line[at + 1]!)));
      }
    }
    if (depth > 0) return true;
  }
  return false;
}

/** Whether the quoted scalar opening at `at` closes on the same line. */
function closesOnLine(line: string, at: number): boolean {
  const quote = line[at];
  for (let i = at + 1; i < line.length; i++) {
    if (quote === '"' && line[i] === '\\') i++;
    else if (quote === "'" && line[i] === "'" && line[i + 1] === "'") i++;
    else if (line[i] === quote) return true;
  }
  return false;
}

/**
 * The file's data as the `yaml` library would give it, or undefined when the fast reader cannot
 * vouch for that (it found a mistake, or the file uses a construct left to `yaml`).
 */
export function readYamlFast(source: string): unknown {
  if (LEFT_TO_YAML.test(source) || partsWays(source)) return undefined;
  let data: unknown;
  try {
    data = load(source, { schema: SCHEMA });
  } catch {
    return undefined;
  }
  // An empty file: `yaml` gives null where js-yaml gives undefined.
  return data === undefined ? null : data;
}
