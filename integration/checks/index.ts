// The content checks run on a component's composed content before it is written. Each check
// is a pure function of the content, the material's catalogue record and the same material's
// other components; each problem names the field and says what is wrong in words a person, and
// a model asked to write again, can act on.

import { checkAuthor } from './author.ts';
import { checkConsistency } from './consistency.ts';
import { checkInvisibleCharacters } from './invisible-characters.ts';
import { checkMarkup } from './markup.ts';
import { checkNumbers } from './numbers.ts';
import { checkOtherMaterials } from './other-materials.ts';
import { checkPlaceholders } from './placeholders.ts';
import { allStrings, proseStrings } from './prose.ts';
import type { CheckContext, CheckProblem } from './types.ts';

export type { CheckContext, CheckProblem } from './types.ts';
export { proseOf, proseStrings, proseText, type ProseString } from './prose.ts';
export { findQuantities, type WrittenQuantity } from './quantities.ts';
export { NEAR_DUPLICATE_THRESHOLD, createSimilarityIndex, isNearDuplicate, similarity, type SimilarityIndex } from './similarity.ts';

/** Every problem found in one component of one material; empty when it may be written. */
export function checkComponent(context: CheckContext, prose = proseStrings(context.component, context.data)): CheckProblem[] {
  const strings = allStrings(context.data);
  return [
    ...checkNumbers(context, prose),
    ...checkOtherMaterials(context, prose),
    ...checkPlaceholders(context, prose),
    ...checkInvisibleCharacters(context, strings),
    ...checkMarkup(context, strings),
    ...checkAuthor(context, prose),
    ...checkConsistency(context),
  ];
}
