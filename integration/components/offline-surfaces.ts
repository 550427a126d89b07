import type { PropertyId } from '../catalog/properties.ts';
import type { Quantity } from '../catalog/schema.ts';
import { midpoint } from './format.ts';
import { agree, art, cap } from './offline-phrases.ts';

/**
 * What the offline writer knows about surfaces and deposits in general: what a substrate shows
 * under magnification, what damage on it looks like, how a kind of contaminant looks and how it
 * leaves under the beam. Chosen by the material's category, subcategory and name, and by the
 * wording of its contaminants; nothing here names another material or writes a number.
 */

export interface Surface {
  /** What the clean surface shows under magnification: "open pores and growth rings". */
  textures: string[];
  /** What an unharmed surface shows after cleaning, as a "no ..." phrase: "no charring or raised fibres". */
  proofs: string[];
  /** What too much energy does to it: "scorching and yellowed fibres". */
  harms: string[];
  porous: boolean;
}

type Props = Partial<Record<PropertyId, Quantity>>;

export function surfaceOf(category: string, subcategory: string, name: string, p: Props): Surface {
  const sub = subcategory.toLowerCase();
  const lowMelting = p.meltingPoint !== undefined && midpoint(p.meltingPoint) < 450;
  const reflective = p.absorptivity !== undefined && midpoint(p.absorptivity) < 15;
  switch (category) {
    case 'metal': {
      const textures = /precious|platinum/.test(sub)
        ? ['polished face and its fine polishing lines', 'mirror-like polish', 'fine finishing lines']
        : /copper alloy/.test(sub)
          ? ['cast or machined surface', 'tooling marks and grain', 'original surface with its tool marks']
          : /refractory|reactive/.test(sub)
            ? ['ground or machined finish', 'grinding lines', 'machining marks and grain']
            : /low-melting|soft|heavy post/.test(sub)
              ? ['soft, smooth cast or rolled surface', 'fine scratches of the original finish', 'smooth surface of the metal']
              : ['rolled or machined finish', 'machining marks', 'grain and tooling marks', 'original finish'];
      const proofs = lowMelting
        ? ['no remelted droplets or glossy melt skin', 'no melted ridges along the track', 'no rounding of the finishing lines']
        : reflective
          ? ['no remelted beads and no dull patches in the reflection', 'no melt marks in the even metallic lustre', 'no pitting or melt beads at the track edges']
          : ['no heat tint at the track edges', 'no pitting, melt beads or colour change', 'no blueing or darkening along the scan lines'];
      return { textures, proofs, harms: lowMelting ? ['a remelted, glossy skin', 'melt droplets'] : ['heat tint', 'melt beads and pitting', 'surface remelting'], porous: false };
    }
    case 'wood': {
      const textures = /bamboo/.test(sub)
        ? ['vascular bundles', 'fibre bundles of the culm', 'fine longitudinal fibres']
        : /engineered/.test(sub)
          ? /plywood/i.test(name)
            ? ['face-veneer grain', 'grain of the face veneer', 'veneer surface']
            : ['compressed wood fibres', 'dense fibre surface', 'fine fibre mat']
          : /softwood/.test(sub)
            ? ['earlywood and latewood bands', 'growth rings', 'soft, fibrous grain']
            : /tropical/.test(sub)
              ? ['close grain and figure', 'fine pores and figure', 'grain and natural colour']
              : ['open pores and growth rings', 'vessel lines and rays', 'grain and figure'];
      return {
        textures,
        proofs: ['no charring, browning or raised fibres', 'no scorch marks and no change of colour', 'no yellowing and no fibres standing up', 'no darkening along the scan lines'],
        harms: ['scorching', 'yellowing', 'raised, charred fibres'],
        porous: true,
      };
    }
    case 'stone': {
      const textures = /volcanic/.test(sub)
        ? ['fine, dark crystalline groundmass', 'fine-grained crystal matrix']
        : /porphyritic/.test(sub)
          ? ['large crystals set in a fine matrix', 'crystals in their fine groundmass']
          : /plutonic/.test(sub)
            ? ['interlocking crystals', 'crystal grains and their boundaries']
            : /clastic|sandstone/.test(sub)
              ? /breccia/i.test(name)
                ? ['angular fragments in a finer matrix', 'angular clasts and their matrix']
                : ['sand grains and the cement between them', 'rounded grains and open pores']
              : /gypsum/.test(sub)
                ? ['fine, translucent grain', 'soft, fine-grained surface']
                : /banded/.test(sub)
                  ? ['translucent bands', 'banding and its translucency']
                  : /carbonate mineral/.test(sub)
                    ? ['cleavage faces of the crystal', 'crystal faces and their lustre']
                    : /carbonate/.test(sub)
                      ? ['fine carbonate grain and pores', 'open pores and fine grain']
                      : /foliated/.test(sub)
                        ? ['foliation and cleavage planes', 'layered cleavage surface']
                        : /serpentinite/.test(sub)
                          ? ['mottled crystal fabric', 'mottled, fine-grained fabric']
                          : /talc/.test(sub)
                            ? ['soft, soapy, fine grain', 'smooth, fine-grained surface']
                            : /mudrock/.test(sub)
                              ? ['fine laminations', 'thin bedding laminae']
                              : /quartzite/i.test(name)
                                ? ['fused quartz grains', 'tightly knit grains']
                                : ['sugary crystals', 'crystal grains and tool marks'];
      const carbonate = /carbonate|gypsum|metamorphic stone$/.test(sub);
      return {
        textures,
        proofs: carbonate
          ? ['no yellowing, whitening or loss of grains', 'no chalky whitening and no loose grains', 'no colour shift and no lost tool marks']
          : ['no melt beads, yellowing or loosened grains', 'no glassy spots and no colour shift', 'no lost grains and no discolouration'],
        harms: carbonate ? ['yellowing', 'a chalky, whitened skin', 'loss of grains'] : ['glassy melt beads', 'yellowing', 'loosened grains'],
        porous: !/plutonic|volcanic|porphyritic|quartzite/.test(sub) && !/quartzite/i.test(name),
      };
    }
    case 'masonry': {
      const textures = /fired clay/.test(sub)
        ? ['fired skin and its sand grains', 'fire skin and fine pores', 'sanded face of the fired clay']
        : /gypsum/.test(sub)
          ? ['fine plaster skin and modelled detail', 'smooth plaster skin']
          : /render/.test(sub)
            ? ['textured render finish', 'float texture of the render']
            : /binder/.test(sub)
              ? ['sand grains set in the binder', 'binder and sand of the joint']
              : ['sand and aggregate in the binder', 'cement paste and fine aggregate'];
      return {
        textures,
        proofs: ['no powdering, glazing or colour shift', 'no loose grains and no darkening', 'no melted or glassy spots and no loss of the surface skin'],
        harms: ['powdering', 'glassy melt spots', 'colour shift'],
        porous: true,
      };
    }
    case 'glass':
      return {
        textures: /lead glass/.test(sub)
          ? ['cut facets and polished edges', 'polished facets']
          : /toughened/.test(sub)
            ? ['flat, smooth face', 'smooth, even face']
            : /silica/.test(sub)
              ? ['polished surface', 'optically polished face']
              : ['smooth glass surface', 'fire-polished face', 'smooth, clear face'],
        proofs: ['no microcracks, crazing or pitting', 'no pits, cracks or haze', 'no crazing and no loss of transparency'],
        harms: ['microcracks', 'crazing', 'pitting and haze'],
        porous: false,
      };
    case 'ceramic':
      return {
        textures: /clay/.test(sub) ? ['glaze and fine body', 'vitrified surface', 'glazed or vitrified face'] : ['fine sintered grains', 'ground surface and its grains', 'dense, fine-grained surface'],
        proofs: ['no cracks, melt glaze or spalled grains', 'no microcracks and no glassy spots', 'no chipping and no colour change'],
        harms: ['microcracks', 'a melted glaze', 'spalled grains'],
        porous: false,
      };
    case 'semiconductor':
      return {
        textures: ['polished wafer surface', 'mirror-smooth crystal surface', 'smooth, featureless surface'],
        proofs: ['no melt ripples, slip lines or pits', 'no ripples and no pits', 'no melting, ripples or roughening'],
        harms: ['melt ripples', 'slip lines', 'pits and roughening'],
        porous: false,
      };
    default: {
      // composites and polymers
      const textures = /metal matrix/.test(sub)
        ? ['reinforcing particles in the metal matrix', 'particle-reinforced matrix']
        : /ceramic matrix/.test(sub)
          ? ['fibre weave of the ceramic matrix', 'woven fibre surface']
          : /elastomer/.test(sub)
            ? ['moulded skin', 'smooth moulded surface', 'moulded texture']
            : /molded|moulded/.test(sub)
              ? ['moulded resin surface', 'filled resin skin']
              : ['resin-rich top layer over the fibres', 'fibre pattern under the resin', 'fibre weave under a thin resin layer'];
      const elastomer = /elastomer/.test(sub);
      const metallic = /metal matrix/.test(sub);
      if (/ceramic matrix/.test(sub)) {
        return { textures, proofs: ['no microcracks and no damaged fibres', 'no spalled matrix and no exposed fibres'], harms: ['microcracks', 'fibre damage'], porous: false };
      }
      return {
        textures,
        proofs: elastomer
          ? ['no tacky, glazed or scorched patches', 'no melted or sticky spots', 'no glazing and no change of colour']
          : metallic
            ? ['no melt beads or exposed particles', 'no heat tint and no pitting']
            : ['no exposed or frayed fibres and no charring', 'no bare fibres and no scorching', 'no resin loss and no darkening'],
        harms: elastomer ? ['a tacky, glazed skin', 'scorching'] : metallic ? ['melt beads', 'exposed particles'] : ['resin loss', 'exposed fibres', 'charring'],
        porous: false,
      };
    }
  }
}

export type ContaminantKind =
  | 'soot'
  | 'crust'
  | 'salt'
  | 'rust'
  | 'tint'
  | 'oxide'
  | 'paint'
  | 'finish'
  | 'oil'
  | 'adhesive'
  | 'release'
  | 'bio'
  | 'particles'
  | 'stain'
  | 'spatter'
  | 'residue';

const KINDS: readonly [ContaminantKind, RegExp][] = [
  ['residue', /polishing compound|polish(?:ing)? residue|polish build-up|chemical polishing|metallic contamination/i],
  ['oil', /fingerprint|handling/i],
  ['release', /release/i],
  ['paint', /antifouling/i],
  ['bio', /algae|moss|lichen|\bmould\b(?! release)|mildew|biolog|marine growth/i],
  ['rust', /corrosion|\brust|iron stain|iron and copper|verdigris|pustule/i],
  ['salt', /efflorescence|salt|chloride|sulphate scale|bloom|limescale|tartrate/i],
  ['crust', /crust|incrustation|concretion|calcareous|scale|mineral deposit|cmas|burial|sludge|slurry|drilling-mud|bird/i],
  ['soot', /soot|smoke|\bcarbon\b|carbonised|\bchar\b|creosote|\btar\b|pollution|combustion|burn/i],
  ['tint', /heat tint|discolouration|tarnish/i],
  ['oxide', /oxide|passivation|anodic|patina|conversion coating|native/i],
  ['finish', /varnish|lacquer|shellac|polish|wax|finish|sealer|linseed|old oil films|oxidised oil|gelcoat/i],
  ['paint', /paint|primer|topcoat|coating|enamel|graffiti|overspray|marking|ink|limewash|distemper/i],
  ['adhesive', /adhesive|glue|sealant|tape|caulking|label|gum|fill|silicone|balsam|resin cement/i],
  ['stain', /\bstains?\b|staining/i],
  ['oil', /\boils?\b|grease|lubricant|coolant|fluid|skin|sweat|glove|cosmetic|hydrocarbon|saliva|organic/i],
  ['stain', /stain|water mark|bleed|weather/i],
  ['spatter', /spatter|splash|dross|droplet|unfused powder|transfer|streak|smear|scuff|marks/i],
  ['particles', /dust|particle|debris|grime|dirt|soil|fines|sanding|powder/i],
];

export function contaminantKind(contaminant: string): ContaminantKind {
  return KINDS.find(([, pattern]) => pattern.test(contaminant))?.[0] ?? 'residue';
}

/** Ways to describe a deposit as it looks under magnification; each takes the contaminant's name. */
export function contaminantLooks(contaminant: string): ((c: string) => string)[] {
  switch (contaminantKind(contaminant)) {
    case 'soot':
      return [(c) => `a dark, powdery layer of ${c}`, (c) => `${art(c)} as fine black particles`, (c) => `a sooty film of ${c}`];
    case 'crust':
      return [(c) => `a hard, uneven crust of ${c}`, (c) => `${art(c)} built up into a rough crust`, (c) => `rough, layered ${c}`];
    case 'salt':
      return [(c) => `${art(c)} as white crystalline tufts`, (c) => `a powdery white layer of ${c}`, (c) => `pale, crystalline ${c}`];
    case 'rust':
      return /rust|iron/i.test(contaminant)
        ? [(c) => `${art(c)} in orange-brown patches`, (c) => `blotchy, orange-brown ${c}`, (c) => `${art(c)} spreading in uneven patches`]
        : [(c) => `raised, powdery spots of ${c}`, (c) => `blotchy ${c}`, (c) => `${art(c)} spreading in uneven patches`];
    case 'tint':
      return [(c) => `${art(c)} in bands of colour`, (c) => `an iridescent film of ${c}`, (c) => `${art(c)} that ${agree(c, 'dulls', 'dull')} the surface`];
    case 'oxide':
      return [(c) => `${art(c)} as a dull, uneven film`, (c) => `${art(c)} that ${agree(c, 'dulls', 'dull')} the surface`, (c) => `a thin, grey-toned film of ${c}`];
    case 'paint':
      return [(c) => `a continuous, pigmented layer of ${c}`, (c) => `${art(c)} with cracks and flaked edges`, (c) => `${art(c)} covering the surface in a pigmented film`];
    case 'finish':
      return [(c) => `a glossy, yellowed film of ${c}`, (c) => `${art(c)} that ${agree(c, 'clouds', 'cloud')} the surface`, (c) => `a worn, uneven film of ${c}`];
    case 'oil':
      return [(c) => `a smeared film of ${c}`, (c) => `${art(c)} that ${agree(c, 'blurs', 'blur')} the surface texture`, (c) => `a thin, glistening film of ${c}`];
    case 'adhesive':
      return [(c) => `${art(c)} in raised, tacky smears holding dust`, (c) => `thick smears of ${c}`, (c) => `${art(c)} bridging the surface texture`];
    case 'release':
      return [(c) => `a thin, patchy film of ${c}`, (c) => `${art(c)} spread unevenly across the surface`, (c) => `streaks of ${c}`];
    case 'bio':
      return [(c) => `${art(c)} rooted into the surface`, (c) => `dark patches of ${c}`, (c) => `${art(c)} with threads reaching into the surface`];
    case 'particles':
      return [(c) => `${art(c)} scattered as loose particles`, (c) => `a grey layer of ${c}`, (c) => `${art(c)} settled into the low spots`];
    case 'stain':
      return [(c) => `${art(c)} soaked into the surface`, (c) => `diffuse ${c}`, (c) => `${art(c)} as a blotchy discolouration`];
    case 'spatter':
      return [(c) => `${art(c)} pressed into the surface`, (c) => `raised ${c}`, (c) => `${art(c)} stuck to the surface`];
    case 'residue':
      return [(c) => `a thin layer of ${c}`, (c) => `${art(c)} in an uneven film`, (c) => `patchy ${c}`];
  }
}

/** How a kind of contaminant leaves under the beam, for the article: sentences about `c`. */
export function removalNotes(kind: ContaminantKind): ((c: string) => string)[] {
  const is = (c: string) => agree(c, 'is', 'are');
  const S = (c: string) => cap(art(c));
  switch (kind) {
    case 'soot':
      return [
        (c) => `${S(c)} ${is(c)} dark and ${agree(c, 'absorbs', 'absorb')} the beam strongly, so ${agree(c, 'it goes', 'they go')} in the first pulses.`,
        (c) => `Being dark, ${art(c)} ${agree(c, 'takes', 'take')} up the light readily and ${agree(c, 'clears', 'clear')} at the low end of the window.`,
      ];
    case 'crust':
      return [
        (c) => `${S(c)} ${is(c)} thinned layer by layer rather than blown off at once.`,
        (c) => `${S(c)} ${agree(c, 'builds', 'build')} up in layers and ${is(c)} reduced pass by pass, stopping before the original surface.`,
      ];
    case 'salt':
      return [
        (c) => `Pale ${c.replace(/^the /, '')} ${agree(c, 'absorbs', 'absorb')} poorly, so ${agree(c, 'it needs', 'they need')} more passes than dark deposits.`,
        (c) => `${S(c)} ${agree(c, 'reflects', 'reflect')} much of the light and ${agree(c, 'comes', 'come')} away slowly, mostly with the dirt bound into ${agree(c, 'it', 'them')}.`,
      ];
    case 'rust':
      return [
        (c) => `${S(c)} ${agree(c, 'absorbs', 'absorb')} well but can reach into the surface, so ${agree(c, 'it is', 'they are')} thinned rather than chased to the bottom.`,
        (c) => `${S(c)} ${is(c)} porous and absorbing and ${agree(c, 'comes', 'come')} away quickly down to the sound layer.`,
      ];
    case 'tint':
      return [
        (c) => `${S(c)} ${is(c)} a thin, absorbing film that goes in one or two passes.`,
        (c) => `${S(c)} ${agree(c, 'comes', 'come')} off almost at once; the work is to stop before the base is heated.`,
      ];
    case 'oxide':
      return [
        (c) => `${S(c)} ${agree(c, 'absorbs', 'absorb')} better than the bare surface and ${agree(c, 'spalls', 'spall')} off under short pulses.`,
        (c) => `${S(c)} ${is(c)} thin and absorbing, so ${agree(c, 'it leaves', 'they leave')} quickly under short pulses.`,
      ];
    case 'paint':
      return [
        (c) => `${S(c)} ${agree(c, 'absorbs', 'absorb')} strongly and ${agree(c, 'ablates', 'ablate')} layer by layer, with the pigment setting the pace.`,
        (c) => `${S(c)} ${is(c)} removed one layer at a time; dark pigments go faster than white ones.`,
      ];
    case 'finish':
      return [
        (c) => `${S(c)} ${agree(c, 'passes', 'pass')} part of the beam, so ${agree(c, 'it leaves', 'they leave')} partly by heating at the interface; aged, yellowed films absorb better.`,
        (c) => `${S(c)} ${is(c)} translucent, absorbing less than paint, and ${agree(c, 'needs', 'need')} patient, even passes.`,
      ];
    case 'oil':
      return [
        (c) => `${S(c)} ${agree(c, 'vaporises', 'vaporise')} easily; too low a fluence risks carbonising ${agree(c, 'it', 'them')} instead.`,
        (c) => `${S(c)} ${is(c)} thin and ${agree(c, 'goes', 'go')} quickly, provided the fluence is high enough not to bake ${agree(c, 'it', 'them')} on.`,
      ];
    case 'adhesive':
      return [
        (c) => `${S(c)} ${agree(c, 'absorbs, swells and cracks', 'absorb, swell and crack')} away; thick beads need several passes.`,
        (c) => `${S(c)} ${is(c)} soft and thick, so ${agree(c, 'it comes', 'they come')} off over several passes rather than one.`,
      ];
    case 'release':
      return [
        (c) => `${S(c)} ${is(c)} thin, and a single low-fluence pass usually removes ${agree(c, 'it', 'them')}.`,
        (c) => `${S(c)} ${agree(c, 'forms', 'form')} a very thin film that clears in one light pass.`,
      ];
    case 'bio':
      return [
        (c) => `${S(c)} ${is(c)} moist and dark and ${agree(c, 'absorbs', 'absorb')} well; whatever has rooted into pores needs repeated light passes.`,
        (c) => `${S(c)} ${agree(c, 'absorbs', 'absorb')} readily, but the part rooted into the surface needs repeated, gentle passes.`,
      ];
    case 'particles':
      return [
        (c) => `${S(c)} ${is(c)} thrown off by the sudden expansion of the surface under each pulse.`,
        (c) => `${S(c)} ${is(c)} lifted by the rapid thermal expansion at the surface, with little heating of the bulk.`,
      ];
    case 'stain':
      return [
        (c) => `${S(c)} ${agree(c, 'sits', 'sit')} inside the surface, so ${agree(c, 'it is', 'they are')} lightened rather than stripped, and only as far as the substrate allows.`,
        (c) => `${S(c)} ${is(c)} part of the surface layer; ${agree(c, 'it', 'they')} can be reduced, but chasing ${agree(c, 'it', 'them')} to nothing costs substrate.`,
      ];
    case 'spatter':
      return [
        (c) => `${S(c)} ${is(c)} fused or pressed on, so ${agree(c, 'it needs', 'they need')} more energy than loose films.`,
        (c) => `${S(c)} ${agree(c, 'holds', 'hold')} tighter than a film and ${agree(c, 'takes', 'take')} more passes.`,
      ];
    case 'residue':
      return [
        (c) => `${S(c)} ${agree(c, 'comes', 'come')} off by ablation, checked pass by pass.`,
        (c) => `${S(c)} ${agree(c, 'leaves', 'leave')} in a few passes, watched pass by pass.`,
      ];
  }
}

/**
 * What the cleaned part is ready for, read off an application's wording ("... before brazing or
 * chrome plating." gives "brazing or chrome plating"), when the wording says so plainly.
 */
export function readyFor(detail: string): string | undefined {
  const match = /\bbefore ([a-z][^.;,]*)/.exec(detail);
  if (!match) return undefined;
  const phrase = match[1]!.split(/\s(?:of|so|with|without|where|while|in|into|to|between|instead|that|is|are|on)\s/)[0]!.trim();
  if (/^(?:it|they|the|a|an)\b/.test(phrase) || phrase.split(' ').length > 5 || /[A-Z]/.test(phrase)) return undefined;
  return phrase;
}
