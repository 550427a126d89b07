import { withoutCatalogueText } from './catalogue-text.ts';
import type { Catalog } from '../catalog/load.ts';
import { catalogueNames, findName, mayHoldAnyName, nameForms, namesMayOccur, otherMaterialNames, searchText, type NameForms, type SearchText } from './material-names.ts';
import type { ProseString } from './prose.ts';
import type { CheckContext, CheckProblem } from './types.ts';
import { where } from './wording.ts';

/**
 * Another material of the catalogue must not be what the content is about. It is flagged
 * when it is named in a field that says what the page is about (title, headline, description,
 * summary, alt texts, caption, bullet titles, meta description), or when the prose names it at
 * least twice and at least as often as the material itself. Wording copied from the material's
 * own catalogue record is not counted (see withoutCatalogueText), nor a name that qualifies a
 * contaminant the way the catalogue's contaminants do ("iron staining" on a sandstone page,
 * "lead-based paint" on a wood page: see contaminantQualifiers).
 */
export function checkOtherMaterials(context: CheckContext, prose: readonly ProseString[]): CheckProblem[] {
  const { material, catalog } = context;
  if (prose.length === 0) return [];
  const own = catalogueNames(catalog).get(material.slug) ?? nameForms(material.name);
  const others = otherMaterialNames(catalog, material);
  const written = prose.map((p) => searchText(p.text));
  const cleaned = prose.map((p, i) => {
    // Blanking only takes text away, so a field that cannot hold a name is done with at once.
    if (!mayHoldAnyName(catalog, written[i]!)) return { ...p, cleaned: written[i]!, names: new Set<NameForms>() };
    const text = withoutCatalogueText(material, p.text);
    const search = text === p.text ? written[i]! : searchText(text);
    return { ...p, cleaned: search, names: namesMayOccur(catalog, search) };
  });
  const ownCount = written.reduce((sum, text) => sum + findName(own, text, true).length, 0);
  const qualifiers = contaminantQualifiers(catalog);
  const problems: CheckProblem[] = [];
  for (const other of others) {
    let count = 0;
    let first: { path: string; text: string; index: number } | undefined;
    for (const field of cleaned) {
      if (!field.names.has(other)) continue;
      const spans = withoutQualifiers(findName(other, field.cleaned), field.cleaned, qualifiers.get(other.name));
      if (spans.length === 0) continue;
      count += spans.length;
      first ??= { path: field.path, text: field.text, index: spans[0]![0] };
      if (field.subject) {
        problems.push({
          check: 'other-materials',
          field: field.path,
          message: `${where(field.path, field.text, spans[0]![0])}: names ${other.name}, another material of the catalogue, in a field that says what the page is about; this page is about ${material.name}`,
        });
      }
    }
    if (first && count >= 2 && count >= ownCount) {
      problems.push({
        check: 'other-materials',
        field: first.path,
        message: `${where(first.path, first.text, first.index)}: names ${other.name}, another material of the catalogue, ${count} times and ${material.name} only ${ownCount === 0 ? 'not at all' : ownCount === 1 ? 'once' : `${ownCount} times`}; the ${context.component} must be about ${material.name}`,
      });
    }
  }
  return problems;
}

/** Words that never make a name a qualifier: "Zinc and aluminium build-up" does not make "zinc and" one. */
const JOINING_WORDS = new Set(['and', 'or', 'nor', 'of', 'on', 'in', 'at', 'to', 'by', 'for', 'from', 'with', 'the', 'a', 'an', 'as', 'is', 'are', 'vs']);
const qualifiersCache = new WeakMap<Catalog, Map<string, Set<string>>>();
const NEXT_WORD = /^[\s\-‐]+(\p{L}+)/u;

/**
 * For each material name, the words that follow it in the catalogue's contaminants of any
 * material ("Iron staining", "Iron oxide coatings", "Lead-based paint", "Cement haze"): there the
 * name says what a contaminant is made of, not what the page is about.
 */
export function contaminantQualifiers(catalog: Catalog): Map<string, Set<string>> {
  let qualifiers = qualifiersCache.get(catalog);
  if (qualifiers) return qualifiers;
  qualifiers = new Map();
  const names = [...catalogueNames(catalog).values()];
  const firstWords = new Set(names.flatMap((n) => n.forms.map((f) => f.words[0]!)));
  for (const contaminant of new Set(catalog.materials.flatMap((m) => m.contaminants))) {
    const search = searchText(contaminant);
    for (const name of namesMayOccur(catalog, search)) {
      for (const [, end] of findName(name, search, true)) {
        const word = NEXT_WORD.exec(contaminant.slice(end))?.[1]?.toLowerCase();
        if (!word || JOINING_WORDS.has(word) || firstWords.has(word)) continue;
        const set = qualifiers.get(name.name) ?? new Set<string>();
        set.add(word);
        qualifiers.set(name.name, set);
      }
    }
  }
  qualifiersCache.set(catalog, qualifiers);
  return qualifiers;
}

/** The spans that are not followed by one of the name's contaminant words. */
function withoutQualifiers(spans: [number, number][], search: SearchText, words: Set<string> | undefined): [number, number][] {
  if (!words || spans.length === 0) return spans;
  return spans.filter(([, end]) => {
    const word = NEXT_WORD.exec(search.text.slice(end, end + 40))?.[1]?.toLowerCase();
    return word === undefined || !words.has(word);
  });
}
