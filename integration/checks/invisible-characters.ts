import { allStrings } from './prose.ts';
import type { CheckContext, CheckProblem } from './types.ts';
import { excerpt, where } from './wording.ts';

const NAMES: Record<number, string> = {
  0x200b: 'zero width space',
  0x200c: 'zero width non-joiner',
  0x200d: 'zero width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0xfeff: 'zero width no-break space (byte order mark)',
};

const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/g;
const ANY_INVISIBLE = new RegExp(INVISIBLE.source);

/**
 * Zero-width and text-direction control characters, in any field (not only prose): they are
 * invisible on the page but change how text reads, sorts, matches and is copied, and an override
 * can make a string display differently from what it is.
 */
export function checkInvisibleCharacters(context: CheckContext, strings = allStrings(context.data)): CheckProblem[] {
  const problems: CheckProblem[] = [];
  for (const { path, text } of strings) {
    if (!ANY_INVISIBLE.test(text)) continue;
    const seen = new Set<number>();
    for (const match of text.matchAll(INVISIBLE)) {
      const code = match[0].charCodeAt(0);
      if (seen.has(code)) continue;
      seen.add(code);
      const count = [...text.matchAll(new RegExp(match[0], 'g'))].length;
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      problems.push({
        check: 'invisible-characters',
        field: path,
        message: `${where(path, text, match.index)}: contains the invisible control character U+${hex} (${NAMES[code]})${count > 1 ? ` ${count} times` : ''}, first at character ${match.index + 1} ("${excerpt(text, match.index, 1).replace(INVISIBLE, '')}"); remove it`,
      });
    }
  }
  return problems;
}
