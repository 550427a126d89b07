/** Search results cut titles at about this many characters. */
export const TITLE_BUDGET = 70;

/** The document title: the text with the brand once, as " | brand" when it fits the budget. */
export function documentTitle(text: string, brand: string): string {
  if (text.includes(brand)) return text;
  return `${text} | ${brand}`;
}

/** The first candidate whose document title fits the budget, else the shortest one. */
export function fittingTitle(candidates: readonly string[], brand: string): string {
  const fitting = candidates.find((c) => documentTitle(c, brand).length <= TITLE_BUDGET);
  return fitting ?? [...candidates].sort((a, b) => a.length - b.length)[0]!;
}
