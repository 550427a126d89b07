import { z } from 'zod';
import { defineComponent } from './define.ts';
import { clip, listPhrase, toTag, unique } from './format.ts';
import { materialTraits } from './material-traits.ts';
import { cap, inSentence, lowerStart, withArticle, writer } from './offline-phrases.ts';
import { surfaceOf } from './offline-surfaces.ts';
import { line, lowercaseTag } from './shared-schemas.ts';
import type { Frontmatter } from './frontmatter.ts';

const draftSchema = z.strictObject({
  metaDescription: line(120, 160),
  keywords: z.array(lowercaseTag).min(5).max(10),
});

const card = z.strictObject({
  title: z.string(),
  description: z.string(),
  image: z.string(),
  imageAlt: z.string(),
});

const schema = z.strictObject({
  title: z.string().max(60),
  documentTitle: z.string(),
  description: z.string().min(120).max(160),
  keywords: z.array(z.string()),
  canonical: z.url(),
  robots: z.string(),
  openGraph: card.extend({ type: z.literal('article'), url: z.url(), siteName: z.string(), locale: z.string() }),
  twitter: card.extend({ card: z.literal('summary_large_image') }),
});

export type Metatags = z.infer<typeof schema>;

interface Inputs {
  name: string;
  slug: string;
  siteUrl: string;
  brand: string;
}

export default defineComponent({
  name: 'metatags',
  kind: 'llm',
  version: 2,
  dependsOn: ['frontmatter'],
  format: 'yaml',
  schema,
  inputs: ({ material, site }): Inputs => ({ name: material.name, slug: material.slug, siteUrl: site.url, brand: site.brand }),
  llm: {
    schema: draftSchema,
    maxTokens: 500,
    temperature: 0.4,
    instructions: [
      'You write the search-result snippet for one material page of a laser-cleaning guide.',
      'Write a meta description of 120 to 160 characters that says what the page helps the reader do,',
      'and 5 to 10 lowercase search keywords. Use only facts from the page data. No numbers, no units,',
      'no other material named as the subject, no quotation marks around the whole text.',
    ].join('\n'),
    prompt: ({ deps }) => {
      const fm = deps.frontmatter as Frontmatter;
      return [
        `Title: ${fm.title}`,
        `Page description: ${fm.description}`,
        `Summary: ${fm.summary}`,
        `Contaminants: ${fm.contaminants.join(', ')}`,
      ].join('\n');
    },
    offline: ({ inputs, deps }) => offlineMetatags(inputs, deps.frontmatter as Frontmatter),
  },
  build: ({ inputs, deps }, draft) => {
    const fm = deps.frontmatter as Frontmatter;
    const canonical = new URL(fm.path, inputs.siteUrl).href;
    const image = new URL(fm.images.hero.src, inputs.siteUrl).href;
    const documentTitle = fm.title.includes(inputs.brand) ? fm.title : `${fm.title} | ${inputs.brand}`;
    return {
      title: fm.title,
      documentTitle,
      description: draft.metaDescription,
      keywords: draft.keywords,
      canonical,
      robots: 'index, follow',
      openGraph: {
        type: 'article',
        title: fm.title,
        description: draft.metaDescription,
        url: canonical,
        siteName: inputs.brand,
        locale: 'en_US',
        image,
        imageAlt: fm.images.hero.alt,
      },
      twitter: {
        card: 'summary_large_image',
        title: fm.title,
        description: draft.metaDescription,
        image,
        imageAlt: fm.images.hero.alt,
      },
    };
  },
});

/** Short phrases for what makes the material delicate under the beam, from its traits. */
function cautions(fm: Frontmatter): string[] {
  const t = materialTraits(fm.category, fm.properties, fm.laser.parameters.fluence!);
  const out: string[] = [];
  if (t.heatSensitive) out.push('a surface that chars or softens early', 'a heat-sensitive surface');
  if (t.reflective) out.push('a highly reflective surface', 'a surface that reflects most of the beam');
  if (t.brittle) out.push('a brittle surface prone to thermal shock', 'a surface that can crack under thermal shock');
  if (t.conductive) out.push('a substrate that sheds heat fast');
  if (t.porous) out.push('an open, porous surface');
  if (t.soft) out.push('a soft surface that marks easily');
  if (t.refractory) out.push('a refractory substrate');
  if (out.length === 0) {
    out.push(
      ...(fm.category === 'metal'
        ? ['a finished metal surface that must stay unmarked', 'a metal surface whose finish must survive']
        : fm.category === 'glass'
          ? ['a smooth surface that must stay clear']
          : ['a surface that must keep its finish', 'a substrate that must come through unmarked']),
    );
  }
  return out;
}

/**
 * The offline snippet: a meta description built from the material's own contaminants,
 * industries, surface risks and laser, in one of several shapes that fits 120-160 characters,
 * and keywords drawn from the same record.
 */
function offlineMetatags(inputs: Inputs, fm: Frontmatter) {
  const w = writer(`${inputs.slug}/metatags`);
  const n = inSentence(inputs.name);
  const contaminants = w.shuffle(fm.contaminants.slice(0, 4)).map(lowerStart);
  const [c1, c2] = contaminants as [string, string | undefined];
  const pair = !c2 ? c1 : /\sand\s/.test(c1 + c2) ? `${c1} as well as ${c2}` : `${c1} and ${c2}`;
  const industries = w.shuffle(fm.applications.map((a) => lowerStart(a.industry)));
  const industry = industries[0]!;
  const harm = w.pick(surfaceOf(fm.category, fm.subcategory, inputs.name, fm.properties).harms);
  const caution = w.pick(cautions(fm));
  const laser = lowerStart(fm.laser.laserType);
  const sub = lowerStart(fm.subcategory.replace(/\s*\([^)]*\)/g, ''));
  const shapes = [
    `How to laser clean ${n}: remove ${pair} without ${harm}, with settings and checks for ${industry} work.`,
    `How to laser clean ${n}: remove ${c1} without ${harm}, with settings and checks.`,
    `${cap(n)} laser cleaning guide: strip ${pair} from ${withArticle(sub)} while avoiding ${harm}. Settings, risks and inspection.`,
    `${cap(n)} laser cleaning guide: strip ${c1} while avoiding ${harm}. Settings, risks and inspection.`,
    `Remove ${c1} from ${n} with a ${laser}: the fluence window, pulse settings and how to spot ${harm} early.`,
    `Remove ${c1} from ${n} by laser: the fluence window, pulse settings and how to spot ${harm} early.`,
    `Laser cleaning ${n} for ${listPhrase(industries.slice(0, 2))}: what removes ${c1}, what causes ${harm}, and how to verify the result.`,
    `Laser cleaning ${n} for ${industry}: what removes ${c1}, what causes ${harm}, and how to verify the result.`,
    `Cleaning ${n} with a pulsed laser? The settings that clear ${c1}, the first signs of ${harm} and the checks used in ${industry}.`,
    `Cleaning ${n} with a pulsed laser? The settings that clear ${c1}, the first signs of ${harm} and the checks that follow.`,
    `A practical guide to removing ${pair} from ${n} by laser, for ${industry} work on ${caution}.`,
    `A practical guide to removing ${c1} from ${n} by laser, written for work on ${caution}.`,
    `${cap(n)} means working on ${caution}. Which laser settings lift ${pair}, and how to check the surface after.`,
    `${cap(n)} means working on ${caution}. Which laser settings lift ${c1}, and how to check the surface after.`,
    `Lift ${c1}${c2 ? ` or ${c2}` : ''} off ${n} by laser: settings for a ${laser} and checks against ${harm}.`,
    `Lift ${c1} off ${n} by laser: settings for a ${laser}, checks against ${harm}, and where the method is used.`,
  ];
  const fitting = w.shuffle(shapes).filter((d) => d.length >= 120 && d.length <= 160);
  let description = fitting[0];
  if (!description) {
    const shortest = [...shapes].sort((a, b) => a.length - b.length)[0]!;
    description = shortest.length > 160 ? clip(shortest, 160) : `${shortest} ${w.pick([`Written for ${industry} work.`, 'Settings, risks and checks.'])}`;
    if (description.length < 120) description = `${description} A guide to ${caution}.`;
    description = clip(description, 160);
  }
  const own = w.shuffle([`${n} laser cleaning`, `laser cleaning ${n}`, `${n} surface cleaning`, `clean ${n} with a laser`, `how to clean ${n}`, `${n} laser ablation`]).slice(0, 2);
  const keywords = unique(
    w
      .shuffle([
        ...own,
        `${c1} removal`,
        ...(c2 ? [w.pick([`${c2} removal from ${n}`, `removing ${c2}`, `${c2} laser removal`])] : []),
        w.pick([`laser cleaning ${sub}`, `${sub} cleaning`, `${sub} surface treatment`]),
        `${industry} ${w.pick(['surface cleaning', 'surface preparation', 'cleaning'])}`,
        ...industries.slice(1, 2).map((i) => `${w.pick(['laser cleaning for', 'cleaning in'])} ${i}`),
        ...(w.chance(0.5) ? [laser] : []),
        ...contaminants.slice(2, 3).map((c) => w.pick([`${c} laser removal`, `removing ${c}`, `${c} cleaning`])),
      ])
      .filter((k) => k.length <= 40)
      .map(toTag)
      .filter((k) => k.length >= 2),
  ).slice(0, 8);
  // A long name or long contaminant names can leave too few keywords of at most 40 characters:
  // general ones fill up to the five the schema asks for.
  for (const general of ['laser cleaning', 'pulsed laser ablation', 'surface preparation', 'contaminant removal', 'non-contact cleaning']) {
    if (keywords.length >= 5) break;
    if (!keywords.includes(general)) keywords.push(general);
  }
  return { metaDescription: description, keywords };
}
