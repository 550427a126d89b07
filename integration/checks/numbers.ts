import type { CheckContext, CheckProblem } from './types.ts';
import { catalogueValues, sameNumber, type RecordedQuantity } from './catalogue-values.ts';
import type { ProseString } from './prose.ts';
import { findQuantities } from './quantities.ts';
import { lowerLabel, possessive, where } from './wording.ts';

/**
 * Every number written with a unit must be one the material's catalogue record states, in the
 * same unit. Numbers without a unit, or with a unit the checks do not know, are left alone:
 * they are standard codes ("ISO 11553-1"), counts and steps rather than measurements.
 */
export function checkNumbers(context: CheckContext, prose: readonly ProseString[]): CheckProblem[] {
  const { material } = context;
  const values = catalogueValues(material);
  const problems: CheckProblem[] = [];
  for (const field of prose) {
    for (const q of findQuantities(field.text)) {
      const recorded = values.numbers.get(q.unit.unit) ?? [];
      if (q.numbers.every((n) => recorded.some((r) => sameNumber(n, r)))) continue;
      const sameUnit = values.quantities.filter((r) => r.unit === q.unit.unit);
      const sameKind = values.quantities.filter((r) => r.dimension === q.unit.dimension);
      const quoted = `"${q.text.trim()}"`;
      let reason: string;
      if (sameUnit.length > 0) {
        reason = `${quoted} is not in ${possessive(material.name)} catalogue record (${describe(sameUnit)})`;
      } else if (sameKind.length > 0) {
        reason = `${quoted} is not in ${possessive(material.name)} catalogue record, which gives no value in ${q.unit.unit} (${describe(sameKind)}); write values in the record's units`;
      } else {
        reason = `${quoted} is not in ${possessive(material.name)} catalogue record, which gives no quantity in ${q.unit.unit}; leave the number out or use one the record gives`;
      }
      problems.push({ check: 'numbers', field: field.path, message: `${where(field.path, field.text, q.index)}: ${reason}` });
    }
  }
  return problems;
}

function describe(quantities: readonly RecordedQuantity[]): string {
  return quantities.map((q) => `${lowerLabel(q.label)} is ${q.display}`).join(', ');
}
