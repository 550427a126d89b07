import type { Author } from '../catalog/schema.ts';
import type { ProseString } from './prose.ts';
import type { CheckContext, CheckProblem } from './types.ts';
import { escapeRegExp, possessive, where } from './wording.ts';

/**
 * The material's author, as the catalogue assigns it, is the only author named: in the author
 * card, in the JSON-LD Person, in frontmatter's author reference, and in any prose, where the
 * name of another author profile must not appear.
 */
export function checkAuthor(context: CheckContext, prose: readonly ProseString[]): CheckProblem[] {
  const { material, catalog, component, data } = context;
  const author = catalog.authors.get(material.author);
  if (!author) return [];
  const problems: CheckProblem[] = [];
  const expect = (field: string, actual: unknown, expected: string, what: string) => {
    if (actual === undefined || actual === expected) return;
    problems.push({
      check: 'author',
      field,
      message: `${field}: ${what} is ${JSON.stringify(actual)}, but ${possessive(material.name)} author in the catalogue is ${JSON.stringify(expected)}`,
    });
  };
  if (component === 'author') {
    expect('name', data.name, author.name, 'the author');
    expect('id', data.id, author.id, 'the author id');
  } else if (component === 'frontmatter') {
    expect('author', data.author, author.id, 'the author id');
  } else if (component === 'jsonld') {
    const graph = Array.isArray(data['@graph']) ? (data['@graph'] as Record<string, unknown>[]) : [];
    graph.forEach((node, index) => {
      if (node?.['@type'] === 'Person') expect(`@graph[${index}].name`, node.name, author.name, 'the Person');
    });
  }
  for (const other of catalog.authors.values()) {
    if (other.id === author.id) continue;
    const pattern = authorPattern(other);
    for (const field of prose) {
      const match = pattern.exec(field.text);
      if (!match) continue;
      problems.push({
        check: 'author',
        field: field.path,
        message: `${where(field.path, field.text, match.index)}: names the author "${match[0]}", but ${possessive(material.name)} author in the catalogue is "${author.name}"`,
      });
    }
  }
  return problems;
}

const patterns = new WeakMap<Author, RegExp>();

/** An author's name with or without a trailing note in brackets such as "(sample profile)". */
function authorPattern(author: Author): RegExp {
  let pattern = patterns.get(author);
  if (!pattern) {
    const core = author.name.replace(/\s*\([^()]*\)\s*$/, '').trim() || author.name;
    const words = core.split(/\s+/).map(escapeRegExp).join('\\s+');
    pattern = new RegExp(`(?<![\\p{L}\\p{N}])${words}(?:\\s*\\([^()]*\\))?(?![\\p{L}\\p{N}])`, 'iu');
    patterns.set(author, pattern);
  }
  return pattern;
}
