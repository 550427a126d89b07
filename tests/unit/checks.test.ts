import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCatalogPaths, loadCatalog, type Catalog, type Material } from '../../integration/catalog/load.ts';
import { LASER_PARAMETER_DEFINITIONS, PROPERTY_DEFINITIONS } from '../../integration/catalog/properties.ts';
import type { Quantity } from '../../integration/catalog/schema.ts';
import { builtinComponents } from '../../integration/components/index.ts';
import { formatNumber, formatQuantity } from '../../integration/components/format.ts';
import {
  NEAR_DUPLICATE_THRESHOLD,
  checkComponent,
  createSimilarityIndex,
  findQuantities,
  isNearDuplicate,
  proseOf,
  similarity,
  type CheckProblem,
} from '../../integration/checks/index.ts';
import { parseContent } from '../../integration/store/store.ts';
import { REPO_ROOT } from '../helpers/project-copy.ts';

type Content = Record<string, unknown>;

let catalog: Catalog;
/** Committed content by material slug, then component name. */
const committed = new Map<string, Record<string, Content>>();

beforeAll(async () => {
  catalog = await loadCatalog(defaultCatalogPaths(REPO_ROOT));
  for (const material of catalog.materials) {
    const files: Record<string, Content> = {};
    for (const component of builtinComponents) {
      let text: string;
      try {
        text = await readFile(`${REPO_ROOT}/content/components/${component.name}/${material.slug}.${component.format}`, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      files[component.name] = parseContent(component.format, text);
    }
    committed.set(material.slug, files);
  }
});

function material(slug: string): Material {
  const found = catalog.materials.find((m) => m.slug === slug);
  if (!found) throw new Error(`the catalogue has no material "${slug}"`);
  return found;
}

function check(slug: string, component: string, data: Content, related: Record<string, Content> = {}): CheckProblem[] {
  return checkComponent({ material: material(slug), catalog, component, data, related });
}

const messages = (problems: CheckProblem[]) => problems.map((p) => p.message);
const bullets = (...texts: string[]) => ({ bullets: texts.map((text, i) => ({ title: `Point ${i + 1}`, text })) });
const range = (q: Quantity, dash: string) => `${formatNumber(q.min ?? q.value!)}${dash}${formatNumber(q.max ?? q.value!)} ${q.unit}`;

describe('numbers', () => {
  it("accepts the material's own values, as displayed, with trailing zeros, and as ranges with an en dash, a hyphen or 'to'", () => {
    const al = material('aluminum');
    const density = al.properties.density!;
    const fluence = al.laser.fluence;
    const rate = al.laser.repetitionRate;
    const problems = check(
      'aluminum',
      'bullets',
      bullets(
        `Its density of ${formatQuantity(density)} (${density.value!.toFixed(2)} g/cm3) sets the heat sink under the spot.`,
        `Work at ${range(fluence, '–')} or, written plainly, ${range(fluence, '-')} J/cm2 and ${range(rate, ' to ')}.`,
        `A ${formatQuantity(al.laser.wavelength)} source (the ${formatNumber(al.laser.wavelength.value!)}-nm line) meets ISO 11553-1 and IEC 60825-1 for Class 4 and ${formatQuantity(al.laser.wavelength)} work, in 4 passes.`,
      ),
    );
    expect(problems).toEqual([]);
  });

  it('flags an invented number and names the value the record holds', () => {
    const al = material('aluminum');
    const problems = check('aluminum', 'bullets', bullets('Bare metal, no coating.', 'It weighs in at 7.9 g/cm³, so heat builds slowly.'));
    expect(problems).toEqual([
      {
        check: 'numbers',
        field: 'bullets[1].text',
        message: `bullets[1].text: "7.9 g/cm³" is not in Aluminum's catalogue record (density is ${formatQuantity(al.properties.density!)})`,
      },
    ]);
  });

  it('flags a number in a unit the record does not use, even when it converts to the right value', () => {
    const problems = check('aluminum', 'bullets', bullets('A density of 2700 kg/m³ keeps heat near the surface.', 'Pulses of 5 mJ lift the oxide.'));
    expect(problems.map((p) => p.check)).toEqual(['numbers', 'numbers']);
    expect(problems[0]!.message).toContain('"2700 kg/m³" is not in Aluminum\'s catalogue record, which gives no value in kg/m³ (density is');
    expect(problems[1]!.message).toContain('"5 mJ" is not in Aluminum\'s catalogue record, which gives no quantity in mJ');
  });

  it('flags a range one of whose ends is invented, and a value rounded further than a display would', () => {
    const al = material('aluminum');
    const fluence = al.laser.fluence;
    const problems = check('aluminum', 'bullets', bullets(`Use ${formatNumber(fluence.min!)}–${formatNumber(fluence.max! * 10)} J/cm² at most.`, 'A density near 3 g/cm³.'));
    expect(problems.map((p) => p.field)).toEqual(['bullets[0].text', 'bullets[1].text']);
    expect(problems[0]!.message).toContain(`fluence is ${formatQuantity(fluence)}`);
  });

  it("accepts numbers the record's own text states", () => {
    // Brass's description says "typically with 30-40 % zinc".
    expect(material('brass').description).toMatch(/30-40 %/);
    expect(check('brass', 'bullets', bullets('Brass carries 30–40 % zinc, which tarnishes.'))).toEqual([]);
  });

  it('reads every unit of the catalogue back as itself', () => {
    const units = new Set([...Object.values(PROPERTY_DEFINITIONS), ...Object.values(LASER_PARAMETER_DEFINITIONS)].flatMap((d) => d.units));
    for (const unit of units) {
      const found = findQuantities(`a value of 12.5 ${unit} here`);
      expect(found.map((q) => [q.numbers, q.unit.unit]), unit).toEqual([[[12.5], unit]]);
    }
    expect(findQuantities('the 1960s, CO2 lasers, HfO2 films, FR-4 boards and Ti-6Al-4V')).toEqual([]);
  });
});

describe('other materials', () => {
  it('flags another material named in a subject field', () => {
    const fm = { ...committed.get('aluminum')!.frontmatter!, title: 'Copper Laser Cleaning Guide' };
    const problems = check('aluminum', 'frontmatter', fm);
    expect(problems).toEqual([
      {
        check: 'other-materials',
        field: 'title',
        message: 'title: names Copper, another material of the catalogue, in a field that says what the page is about; this page is about Aluminum',
      },
    ]);
  });

  it('flags another material the prose names at least twice and at least as often as the material', () => {
    const body = 'Copper conducts heat fast.\n\nCopper reflects the beam, and Copper oxide absorbs it. Aluminum behaves alike.';
    const problems = check('aluminum', 'text', { body, wordCount: 15 });
    expect(messages(problems)).toEqual([
      'body (line 1): names Copper, another material of the catalogue, 3 times and Aluminum only once; the text must be about Aluminum',
    ]);
  });

  it('does not read the verb "lead" as Lead, a single comparison as the subject, or steel in a text on Stainless Steel', () => {
    const aluminum = 'Aluminum reflects most of the beam. Too many passes lead to heat tint on aluminum, which can lead to rework. Unlike Copper, aluminum oxide absorbs well.';
    expect(check('aluminum', 'text', { body: aluminum, wordCount: 25 })).toEqual([]);
    const stainless =
      'Stainless Steel keeps its passive film. Like any steel, Steel grades with less chromium rust sooner; stainless steel parts are cleaned gently.';
    expect(check('stainless-steel', 'text', { body: stainless, wordCount: 22 })).toEqual([]);
    expect(check('lead-crystal', 'bullets', bullets('Lead crystal holds Lead oxide; Lead at the surface can grey.'))).toEqual([]);
  });

  it('does not read a name that says what a contaminant is made of as the subject, as the catalogue\'s contaminants use it', () => {
    // "Iron staining" is a contaminant of Breccia and Schist; on a sandstone page it names a stain, not Iron.
    const titled = (title: string) => ({ bullets: [{ title, text: 'Short pulses lift it without marking the grains.' }] });
    expect(check('sandstone', 'bullets', titled('Iron Staining Removal'))).toEqual([]);
    expect(check('sandstone', 'bullets', titled('Iron-oxide streaks lift first'))).toEqual([]);
    expect(check('oak', 'bullets', titled('Lead-based paint comes off in layers'))).toEqual([]);
    // Iron named for itself in a title is still a wrong subject, and so is a word the catalogue never puts after it.
    expect(messages(check('sandstone', 'bullets', titled('Iron Cleaning Settings')))).toEqual([
      'bullets[0].title: names Iron, another material of the catalogue, in a field that says what the page is about; this page is about Sandstone',
    ]);
    expect(check('sandstone', 'bullets', titled('Iron railings nearby'))).toHaveLength(1);
  });

  it("does not count another material named in the record's own wording", () => {
    // Brass's description begins "Copper-zinc alloy"; a summary repeating it names no wrong subject.
    const brass = material('brass');
    expect(brass.description).toMatch(/^Copper/);
    const fm = { ...committed.get('brass')!.frontmatter!, summary: `${brass.description} Cleaning it keeps the patina.` };
    expect(check('brass', 'frontmatter', fm)).toEqual([]);
  });
});

describe('placeholders and remnants', () => {
  it.each([
    ['a template placeholder', 'Clean {name} with short pulses.', '"{name}"'],
    ['template braces', 'Clean {{material}} with short pulses.', '"{{"'],
    ['an unfinished-work marker', 'Settings TODO after the trial.', '"TODO"'],
    ['an unfinished-work marker', 'Fluence is TBD for this grade.', '"TBD"'],
    ['filler text', 'Lorem ipsum dolor sit amet, consectetur.', '"Lorem"'],
    ['a placeholder in brackets', 'Remove [insert contaminant] gently.', '"[insert contaminant]"'],
    ['a placeholder tag', 'Remove <placeholder> gently from the part.', '"<placeholder>"'],
    ["a model's preamble", "Here's the caption you asked for: clean metal.", '"Here\'s"'],
    ["a model's preamble", 'Sure, the oxide lifts at low fluence.', '"Sure,"'],
    ["a model's remark about itself", 'As an AI, I recommend low fluence here.', '"As an AI"'],
    ["a model's remark about itself", 'This text was written by a language model.', '"language model"'],
    ["a model's refusal", 'I cannot give settings for this surface.', '"I cannot"'],
    ['a code fence', 'Use short pulses. ```json', '"```"'],
    ['a leftover JSON key', 'The oxide lifts cleanly", "after": "Bare metal.', '`"after":`'],
  ])('flags %s: %s', (what, text, quote) => {
    const problems = check('aluminum', 'caption', { before: text, after: 'After: bare, bright metal with the rolled finish intact.', image: { src: '/x.svg', alt: 'Micrograph of the surface before and after cleaning' } });
    expect(problems.filter((p) => p.check === 'placeholders').map((p) => p.message)).toContainEqual(expect.stringContaining(`before: contains ${what}, ${quote}`));
  });

  it('passes ordinary prose, including "Before:" labels and "here" inside a sentence', () => {
    const caption = committed.get('aluminum')!.caption!;
    expect(check('aluminum', 'caption', { ...caption, after: 'After: the surface shown here is bare; what is left is the rolled finish.' })).toEqual([]);
  });

  it.each([
    ['U+202E (right-to-left override)', '\u202E'],
    ['U+2066 (left-to-right isolate)', '\u2066'],
    ['U+200B (zero width space)', '\u200B'],
    ['U+FEFF (zero width no-break space (byte order mark))', '\uFEFF'],
  ])('flags the invisible control character %s', (named, char) => {
    const problems = check('aluminum', 'bullets', bullets(`The oxide lifts${char} at low fluence.`));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ check: 'invisible-characters', field: 'bullets[0].text' });
    expect(problems[0]!.message).toContain(named);
    expect(problems[0]!.message).not.toContain(char);
  });

  it('flags invisible control characters outside the prose too', () => {
    const caption = committed.get('aluminum')!.caption! as { image: { src: string; alt: string } };
    const problems = check('aluminum', 'caption', { ...caption, image: { ...caption.image, src: `/images/a\u202Eb.svg` } });
    expect(problems.map((p) => p.field)).toEqual(['image.src']);
  });
});

describe('author and cross-component consistency', () => {
  const authorName = (slug: string) => catalog.authors.get(material(slug).author)!.name;
  const otherAuthor = (slug: string) => [...catalog.authors.values()].find((a) => a.id !== material(slug).author)!;

  it("flags an author card, a JSON-LD Person or prose naming someone other than the material's author", () => {
    const card = committed.get('aluminum')!.author!;
    expect(check('aluminum', 'author', card)).toEqual([]);
    expect(messages(check('aluminum', 'author', { ...card, name: otherAuthor('aluminum').name }))).toEqual([
      `name: the author is ${JSON.stringify(otherAuthor('aluminum').name)}, but Aluminum's author in the catalogue is ${JSON.stringify(authorName('aluminum'))}`,
    ]);

    const jsonld = structuredClone(committed.get('aluminum')!.jsonld!) as { '@graph': Record<string, unknown>[] };
    const person = jsonld['@graph'].findIndex((n) => n['@type'] === 'Person');
    jsonld['@graph'][person]!.name = 'Dr. Jane Example';
    expect(check('aluminum', 'jsonld', jsonld, committed.get('aluminum'))).toMatchObject([{ check: 'author', field: `@graph[${person}].name` }]);

    const core = otherAuthor('aluminum').name.replace(/\s*\(.*\)$/, '');
    const problems = check('aluminum', 'text', { body: `Aluminum reflects the beam. Notes by the ${core}.`, wordCount: 9 });
    expect(problems).toMatchObject([{ check: 'author', field: 'body' }]);
    expect(problems[0]!.message).toContain(`names the author "${core}"`);
  });

  it('flags a title, description or canonical URL that differs from the component it is copied from', () => {
    const own = committed.get('aluminum')!;
    const metatags = structuredClone(own.metatags!) as Record<string, any>;
    metatags.title = 'Aluminum Cleaning, Retitled';
    metatags.openGraph.url = 'https://elsewhere.example.com/aluminum/';
    expect(check('aluminum', 'metatags', metatags, own)).toMatchObject([
      { check: 'consistency', field: 'title', message: expect.stringContaining(`but frontmatter.title is ${JSON.stringify(own.frontmatter!.title)}`) },
      { check: 'consistency', field: 'openGraph.url', message: expect.stringContaining('the canonical URL is "https://elsewhere.example.com/aluminum/", but metatags.canonical is') },
    ]);

    const jsonld = structuredClone(own.jsonld!) as { '@graph': Record<string, unknown>[] };
    const article = jsonld['@graph'].findIndex((n) => n['@type'] === 'TechArticle');
    jsonld['@graph'][article]!.headline = 'Another headline';
    jsonld['@graph'][article]!.description = 'Another description';
    expect(check('aluminum', 'jsonld', jsonld, own).map((p) => p.field)).toEqual([`@graph[${article}].headline`, `@graph[${article}].description`]);
  });

  it('compares only what is present, and never with the components made from this one', () => {
    const own = committed.get('aluminum')!;
    const stale = { ...own, metatags: { ...own.metatags!, title: 'The old title' } };
    expect(check('aluminum', 'frontmatter', own.frontmatter!, stale)).toEqual([]);
    expect(check('aluminum', 'metatags', own.metatags!, {})).toEqual([]);
  });
});

describe('near-duplicate prose', () => {
  const article = (name: string) =>
    `${name} is a light metal that forms a thin oxide in air. Cleaning ${name.toLowerCase()} starts with a test patch, then the operator raises the fluence in small steps while watching the track for heat tint, remelt or a change in gloss, and stops the moment the bare surface shows evenly across the part.`;
  const other =
    'Porous stone holds soot deep in its pores, so conservators favour several gentle passes over one strong one; each pass is followed by a look under raking light, because a yellow cast or a lost tool mark cannot be undone afterwards.';

  it('scores a copy with only the name and the numbers swapped as a near-duplicate', () => {
    const index = createSimilarityIndex();
    index.add('text', 'aluminum', article('Aluminum'));
    index.add('text', 'granite', other);
    const found = index.nearest('text', 'copper', article('Copper'));
    expect(found).toEqual({ slug: 'aluminum', similarity: 1 });
    expect(isNearDuplicate(found!.similarity)).toBe(true);
    expect(similarity({ slug: 'stainless-steel', text: `${article('Stainless Steel')} It melts at 1450 °C.` }, { slug: 'aluminum', text: `${article('Aluminum')} It melts at 660 °C.` })).toBe(1);
  });

  it('keeps independently written texts well below the threshold, and forgets removed texts', () => {
    const index = createSimilarityIndex();
    index.add('text', 'granite', other);
    const found = index.nearest('text', 'aluminum', article('Aluminum'));
    expect(found === undefined || found.similarity < NEAR_DUPLICATE_THRESHOLD).toBe(true);
    index.add('text', 'copper', article('Copper'));
    expect(index.nearest('text', 'aluminum', article('Aluminum'))?.slug).toBe('copper');
    index.remove('text', 'copper');
    expect(index.nearest('text', 'aluminum', article('Aluminum'))?.slug).not.toBe('copper');
    expect(index.nearest('bullets', 'aluminum', article('Aluminum'))).toBeUndefined();
  });

  it("compares a component's own prose, not what it copies from the catalogue", () => {
    const fm = committed.get('aluminum')!.frontmatter! as Record<string, any>;
    const prose = proseOf('frontmatter', fm);
    expect(prose).toContain(fm.title);
    expect(prose).toContain(fm.images.hero.alt);
    expect(prose).not.toContain(fm.applications[0].detail);
    expect(prose).not.toContain(fm.properties.density.display);
    expect(prose).not.toContain(fm.images.hero.src);
    expect(proseOf('jsonld', committed.get('aluminum')!.jsonld!)).toBe('');
  });

  it('indexes and compares every committed llm component of every material well within a second', () => {
    const llm = builtinComponents.filter((c) => c.kind === 'llm');
    const texts = llm.flatMap((c) => [...committed].filter(([, files]) => files[c.name]).map(([slug, files]) => ({ component: c.name, slug, text: proseOf(c.name, files[c.name]!) })));
    const started = performance.now();
    const index = createSimilarityIndex();
    for (const t of texts) index.add(t.component, t.slug, t.text);
    for (const t of texts) index.nearest(t.component, t.slug, t.text);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('the committed content', () => {
  const run = (kinds: string[]) => {
    const failures: string[] = [];
    for (const m of catalog.materials) {
      const files = committed.get(m.slug) ?? {};
      for (const component of builtinComponents) {
        if (!kinds.includes(component.kind) || !files[component.name]) continue;
        const { [component.name]: data, ...related } = files;
        for (const p of check(m.slug, component.name, data!, related)) failures.push(`${m.slug}/${component.name} [${p.check}] ${p.message}`);
      }
    }
    return failures;
  };

  it('passes every check in every llm component', () => {
    expect(run(['llm'])).toEqual([]);
  });

  it('passes the author and consistency checks in the static and derived components', () => {
    expect(run(['static', 'derived'])).toEqual([]);
  });

  it('has no near-duplicate prose between two materials in any llm component', () => {
    const index = createSimilarityIndex();
    const llm = builtinComponents.filter((c) => c.kind === 'llm');
    for (const c of llm) for (const [slug, files] of committed) if (files[c.name]) index.add(c.name, slug, proseOf(c.name, files[c.name]!));
    const pairs: string[] = [];
    for (const c of llm) {
      const seen = new Set<string>();
      for (const [slug, files] of committed) {
        if (!files[c.name]) continue;
        const nearest = index.nearest(c.name, slug, proseOf(c.name, files[c.name]!));
        if (!nearest || !isNearDuplicate(nearest.similarity)) continue;
        const pair = [slug, nearest.slug].sort().join(' ~ ');
        if (seen.has(pair)) continue;
        seen.add(pair);
        pairs.push(`${c.name}: ${pair} (${nearest.similarity.toFixed(2)})`);
      }
    }
    expect(pairs).toEqual([]);
  });
});
