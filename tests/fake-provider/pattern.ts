// Builds a string that matches a simple regular expression (the `pattern` of a JSON Schema):
// literals, classes, groups, alternation and quantifiers. Lookarounds and backreferences are
// ignored; the caller checks the result against the real RegExp.
import type { Random } from './random.ts';

type Node =
  | { type: 'chars'; ranges: Array<[number, number]>; negated: boolean }
  | { type: 'literal'; text: string }
  | { type: 'alt'; options: Node[][] }
  | { type: 'repeat'; node: Node; min: number; max: number }
  | { type: 'empty' };

const DIGIT: Array<[number, number]> = [[48, 57]];
const WORD: Array<[number, number]> = [[97, 122], [65, 90], [48, 57], [95, 95]];
const SPACE: Array<[number, number]> = [[32, 32]];

class Parser {
  readonly source: string;
  pos = 0;
  constructor(source: string) {
    this.source = source;
  }
  peek(): string | undefined {
    return this.source[this.pos];
  }
  parseAlternation(): Node {
    const options: Node[][] = [this.parseSequence()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.parseSequence());
    }
    return { type: 'alt', options };
  }
  parseSequence(): Node[] {
    const out: Node[] = [];
    while (this.pos < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.parseAtom();
      out.push(this.parseQuantifier(atom));
    }
    return out;
  }
  parseQuantifier(atom: Node): Node {
    const ch = this.peek();
    let min: number;
    let max: number;
    if (ch === '*') [min, max] = [0, Infinity];
    else if (ch === '+') [min, max] = [1, Infinity];
    else if (ch === '?') [min, max] = [0, 1];
    else if (ch === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.pos));
      if (!match) return atom;
      min = Number(match[1]);
      max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      this.pos += match[0].length - 1;
    } else return atom;
    this.pos++;
    if (this.peek() === '?') this.pos++;
    return { type: 'repeat', node: atom, min, max };
  }
  parseAtom(): Node {
    const ch = this.source[this.pos++]!;
    if (ch === '^' || ch === '$') return { type: 'empty' };
    if (ch === '.') return { type: 'chars', ranges: [[97, 122]], negated: false };
    if (ch === '[') return this.parseClass();
    if (ch === '(') {
      let lookaround = false;
      if (this.peek() === '?') {
        const rest = this.source.slice(this.pos);
        const named = /^\?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
        if (named) this.pos += named[0].length;
        else if (/^\?<?[=!]/.test(rest)) {
          lookaround = true;
          this.pos += rest[1] === '<' ? 3 : 2;
        } else this.pos += 2;
      }
      const inner = this.parseAlternation();
      if (this.peek() === ')') this.pos++;
      return lookaround ? { type: 'empty' } : inner;
    }
    if (ch === '\\') return this.parseEscape(false) as Node;
    return { type: 'literal', text: ch };
  }
  parseEscape(inClass: boolean): Node | Array<[number, number]> {
    const ch = this.source[this.pos++] ?? '\\';
    const set = (ranges: Array<[number, number]>, negated = false): Node | Array<[number, number]> =>
      inClass ? (negated ? [[97, 122]] : ranges) : { type: 'chars', ranges, negated };
    switch (ch) {
      case 'd':
        return set(DIGIT);
      case 'w':
        return set(WORD);
      case 's':
        return set(SPACE);
      case 'D':
      case 'W':
      case 'S':
        return set(ch === 'D' ? [[97, 122]] : ch === 'W' ? [[45, 45]] : [[97, 122]]);
      case 'b':
      case 'B':
        return inClass ? [[8, 8]] : { type: 'empty' };
      case 'n':
        return inClass ? [[10, 10]] : { type: 'literal', text: '\n' };
      case 't':
        return inClass ? [[9, 9]] : { type: 'literal', text: '\t' };
      case 'p':
      case 'P': {
        const match = /^\{[^}]*\}/.exec(this.source.slice(this.pos));
        if (match) this.pos += match[0].length;
        return set([[97, 122]]);
      }
      case 'u': {
        const match = /^([0-9a-fA-F]{4}|\{[0-9a-fA-F]+\})/.exec(this.source.slice(this.pos));
        if (match) {
          this.pos += match[0].length;
          const code = parseInt(match[0].replace(/[{}]/g, ''), 16);
          return inClass ? [[code, code]] : { type: 'literal', text: String.fromCodePoint(code) };
        }
        return inClass ? [[117, 117]] : { type: 'literal', text: 'u' };
      }
      case 'x': {
        const match = /^[0-9a-fA-F]{2}/.exec(this.source.slice(this.pos));
        if (match) {
          this.pos += 2;
          const code = parseInt(match[0], 16);
          return inClass ? [[code, code]] : { type: 'literal', text: String.fromCharCode(code) };
        }
        return inClass ? [[120, 120]] : { type: 'literal', text: 'x' };
      }
      default:
        if (/\d/.test(ch) && !inClass) return { type: 'empty' };
        return inClass ? [[ch.charCodeAt(0), ch.charCodeAt(0)]] : { type: 'literal', text: ch };
    }
  }
  parseClass(): Node {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: Array<[number, number]> = [];
    let first = true;
    while (this.pos < this.source.length && (this.peek() !== ']' || first)) {
      first = false;
      let lo: Array<[number, number]>;
      const ch = this.source[this.pos++]!;
      if (ch === '\\') lo = this.parseEscape(true) as Array<[number, number]>;
      else lo = [[ch.charCodeAt(0), ch.charCodeAt(0)]];
      if (lo.length === 1 && lo[0]![0] === lo[0]![1] && this.peek() === '-' && this.source[this.pos + 1] !== ']' && this.pos + 1 < this.source.length) {
        this.pos++;
        const hiChar = this.source[this.pos++]!;
        const hi = hiChar === '\\' ? (this.parseEscape(true) as Array<[number, number]>)[0]![0] : hiChar.charCodeAt(0);
        ranges.push([lo[0]![0], hi]);
      } else ranges.push(...lo);
    }
    this.pos++;
    return { type: 'chars', ranges, negated };
  }
}

function generate(node: Node, random: Random, out: string[], budget: { extra: number }): void {
  switch (node.type) {
    case 'empty':
      return;
    case 'literal':
      out.push(node.text);
      return;
    case 'chars':
      out.push(pickChar(node, random));
      return;
    case 'alt': {
      const option = random.pick(node.options);
      for (const child of option) generate(child, random, out, budget);
      return;
    }
    case 'repeat': {
      const room = Math.min(node.max - node.min, budget.extra);
      const extra = room > 0 ? random.int(0, Math.min(room, 6)) : 0;
      budget.extra -= extra;
      for (let i = 0; i < node.min + extra; i++) generate(node.node, random, out, budget);
    }
  }
}

function pickChar(node: { ranges: Array<[number, number]>; negated: boolean }, random: Random): string {
  if (node.negated) {
    const banned = (code: number) => node.ranges.some(([lo, hi]) => code >= lo && code <= hi);
    const pool = 'etaoinshrdlucmfwypvbgkjqxz'.split('').filter((c) => !banned(c.charCodeAt(0)));
    return pool.length > 0 ? random.pick(pool) : '~';
  }
  // Prefer lowercase letters, then letters, then anything allowed.
  const preferred = node.ranges.filter(([lo, hi]) => lo <= 122 && hi >= 97);
  const [lo, hi] = random.pick(preferred.length > 0 ? preferred : node.ranges);
  const from = preferred.length > 0 ? Math.max(lo, 97) : lo;
  const to = preferred.length > 0 ? Math.min(hi, 122) : hi;
  return String.fromCodePoint(random.int(from, to));
}

export function compilePattern(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    try {
      return new RegExp(pattern);
    } catch {
      return undefined;
    }
  }
}

/** A string matching `pattern` with length in [minLength, maxLength], or undefined if none was found. */
export function sampleFromPattern(pattern: string, random: Random, minLength = 0, maxLength = Infinity): string | undefined {
  const regex = compilePattern(pattern);
  if (!regex) return undefined;
  let tree: Node;
  try {
    tree = new Parser(pattern).parseAlternation();
  } catch {
    return undefined;
  }
  for (let attempt = 0; attempt < 40; attempt++) {
    const out: string[] = [];
    generate(tree, random, out, { extra: attempt < 20 ? 12 + minLength : 4 * (minLength + 12) });
    const text = out.join('');
    if (text.length >= minLength && text.length <= maxLength && regex.test(text)) return text;
  }
  return undefined;
}
