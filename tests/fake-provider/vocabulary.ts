// Word lists the prose generator draws from. Nothing here may contain a digit: the tool being
// tested rejects numbers in prose that the catalogue does not hold.

export type MaterialKind = 'metal' | 'stone' | 'wood' | 'glass' | 'polymer' | 'ceramic' | 'composite' | 'general';

export interface KindWords {
  contaminant: readonly string[];
  risk: readonly string[];
  /** Verb phrases in the third person singular: "{material} {trait}". */
  trait: readonly string[];
  /** Plural nouns: things made of the material. */
  use: readonly string[];
  /** Noun phrases with an article: the look after cleaning. */
  finish: readonly string[];
}

const KIND_PATTERNS: ReadonlyArray<readonly [MaterialKind, RegExp]> = [
  ['composite', /composite|fib(er|re)|cfrp|gfrp|aramid|laminate|reinforced|kevlar/i],
  ['glass', /glass|fused silica|borosilicate|sapphire|crystal|obsidian/i],
  ['ceramic', /ceramic|porcelain|alumina|zirconia|carbide|nitride|stoneware|earthenware|tile|enamel/i],
  ['polymer', /plastic|polymer|poly|nylon|pvc|abs\b|acrylic|pmma|rubber|epoxy|resin|silicone|ptfe|peek|vinyl|urethane|acetal|latex/i],
  ['wood', /wood|oak|pine|maple|walnut|teak|cedar|birch|bamboo|mahogany|\bash\b|beech|cherry|plywood|\bmdf\b|spruce|fir\b|larch|ebony|rosewood|cork/i],
  ['stone', /stone|granite|marble|limestone|sandstone|slate|basalt|travertine|quartzite|concrete|brick|terracotta|mortar|plaster|onyx|alabaster|soapstone|shale|gneiss|schist|porphyry|tuff|stucco/i],
  ['metal', /steel|iron|alumin|copper|brass|bronze|titanium|nickel|zinc|chrom|\btin\b|lead|silver|gold|platinum|magnesium|tungsten|molybdenum|cobalt|inconel|hastelloy|alloy|metal|galvani|tantalum|niobium|beryllium|zirconium|palladium|rhodium|vanadium|monel|pewter|solder|invar|kovar/i],
];

export function materialKind(material: string): MaterialKind {
  for (const [kind, pattern] of KIND_PATTERNS) if (pattern.test(material)) return kind;
  return 'general';
}

export const KIND_WORDS: Record<MaterialKind, KindWords> = {
  metal: {
    contaminant: ['rust', 'mill scale', 'oxide film', 'heat tint', 'cutting fluid', 'old paint', 'primer', 'tarnish', 'carbon deposits', 'release agent', 'weld smoke residue', 'grease', 'corrosion products', 'scale'],
    risk: ['micro-melting', 'heat tint', 'surface oxidation', 'roughening of the profile', 'discoloration', 'thinning of light sheet', 'loss of surface hardness'],
    trait: [
      'conducts heat away from the spot quickly',
      'reflects part of the near-infrared beam',
      'forms a fresh oxide soon after cleaning',
      'tolerates short pulses well',
      'holds its profile under repeated passes',
      'shows heat tint when the dwell time grows too long',
      'spreads heat sideways faster than most coatings do',
      'keeps its strength when only the surface layer is treated',
    ],
    use: ['structural frames', 'weld seams', 'mould tools', 'engine parts', 'busbars', 'fasteners', 'pipe spools', 'machine beds', 'turbine parts', 'railings'],
    finish: ['a bright metallic surface', 'an even satin finish', 'a weld-ready edge', 'a uniform matte tone', 'a clean grey sheen'],
  },
  stone: {
    contaminant: ['soot crust', 'black gypsum crust', 'graffiti', 'biological growth', 'lichen', 'moss', 'efflorescence', 'traffic grime', 'old sealant', 'paint splashes', 'iron staining', 'pollution crust'],
    risk: ['yellowing', 'loss of patina', 'surface erosion', 'grain loosening', 'fading of natural veining', 'spalling of weak grains'],
    trait: [
      'holds moisture in its pores',
      'can yellow if the energy climbs too high',
      'carries a patina worth keeping',
      'varies in hardness from grain to grain',
      'reacts poorly to acids and harsh abrasives',
      'hides fine tool marks that careless cleaning would erase',
    ],
    use: ['facades', 'monuments', 'sculptures', 'paving', 'stair treads', 'cladding panels', 'window surrounds', 'memorials', 'fountains'],
    finish: ['an even natural tone', 'a clean face with its patina intact', 'a uniform honed look', 'a fresh, even colour'],
  },
  wood: {
    contaminant: ['soot', 'old varnish', 'flaking paint', 'mould', 'smoke damage', 'grime', 'wax build-up', 'oil stains', 'grey weathering', 'fire residue'],
    risk: ['charring', 'scorching', 'raised grain', 'darkening', 'loss of fine carving detail', 'uneven colour'],
    trait: [
      'chars quickly if the beam lingers',
      'has a grain that shows every uneven pass',
      'absorbs the beam strongly in its darker latewood',
      'swells when cleaned with water',
      'keeps its carving detail when scanned lightly',
      'changes colour sooner than most surfaces',
    ],
    use: ['beams', 'furniture', 'panelling', 'carvings', 'log walls', 'doors', 'flooring', 'window frames'],
    finish: ['a clean grain with natural colour', 'an even tone ready for oil', 'a fresh surface ready for finishing', 'a smooth, light surface'],
  },
  glass: {
    contaminant: ['mineral deposits', 'coating residue', 'adhesive film', 'haze', 'paint overspray', 'organic films', 'silicone residue', 'scale'],
    risk: ['micro-cracking', 'thermal stress', 'frosting', 'chipping at edges', 'loss of transparency'],
    trait: [
      'lets most near-infrared light pass straight through',
      'cracks if heated unevenly',
      'needs the beam tuned to the film rather than the pane',
      'shows every flaw once it is clean',
      'stores stress near edges and drilled holes',
    ],
    use: ['optics', 'display panels', 'glassware moulds', 'solar covers', 'lab ware', 'glazing units', 'lenses'],
    finish: ['a clear, haze-free surface', 'a clean optical face', 'a uniform transparent pane', 'a streak-free finish'],
  },
  polymer: {
    contaminant: ['mould release', 'paint', 'printing ink', 'oxidized skin', 'adhesive residue', 'oil films', 'dust', 'plasticizer bloom', 'old labels'],
    risk: ['melting', 'bubbling', 'yellowing', 'surface swelling', 'loss of gloss', 'charring'],
    trait: [
      'softens at low temperatures',
      'absorbs ultraviolet light readily',
      'melts before many of its coatings do',
      'needs gentle pulses to keep its gloss',
      'can trap heat near the surface',
      'bonds far better once its skin is activated',
    ],
    use: ['housings', 'moulded parts', 'seals', 'cable sheathing', 'panels', 'tanks', 'gears', 'medical parts'],
    finish: ['a clean matte surface ready for bonding', 'an even surface with its gloss intact', 'a freshly activated skin', 'a uniform, residue-free face'],
  },
  ceramic: {
    contaminant: ['glaze residue', 'carbon build-up', 'kiln deposits', 'mineral scale', 'grease', 'soot', 'metal marks', 'sintering residue'],
    risk: ['microcracking', 'glaze damage', 'thermal shock', 'chipping', 'surface crazing'],
    trait: [
      'withstands high heat but dislikes sudden temperature swings',
      'is hard enough to shrug off light passes',
      'can craze if heated unevenly',
      'keeps its shape under intense pulses',
      'absorbs the beam differently from its glaze',
    ],
    use: ['insulators', 'tiles', 'kiln furniture', 'cutting inserts', 'sanitary ware', 'technical components', 'crucibles'],
    finish: ['a clean glaze without haze', 'an even matte face', 'a surface ready for coating', 'a bright, uniform finish'],
  },
  composite: {
    contaminant: ['mould release', 'paint', 'sealant', 'resin bleed', 'primer', 'adhesive residue', 'dust', 'oil films', 'peel ply residue'],
    risk: ['fibre exposure', 'resin burn', 'delamination', 'loss of resin', 'matrix damage'],
    trait: [
      'combines fibres and resin that react differently to heat',
      'needs its top resin layer kept intact',
      'shows any resin loss as exposed fibre',
      'can delaminate if heat builds up between passes',
      'bonds well only when release agent is fully gone',
    ],
    use: ['aircraft panels', 'turbine blades', 'boat hulls', 'sporting goods', 'body panels', 'pressure vessels', 'drone frames'],
    finish: ['an evenly activated surface ready for bonding', 'a clean paint-ready skin', 'a surface free of release agent', 'a uniform matte resin layer'],
  },
  general: {
    contaminant: ['dirt', 'grime', 'oxide', 'old coating', 'residue', 'oil', 'paint', 'dust', 'deposits', 'stains'],
    risk: ['overheating', 'discoloration', 'surface damage', 'roughening', 'melting at edges'],
    trait: [
      'responds well to short pulses',
      'needs a light touch near edges',
      'behaves differently from its coatings under the beam',
      'shows damage quickly if the energy is too high',
      'benefits from cautious test patches',
    ],
    use: ['components', 'panels', 'fixtures', 'tools', 'assemblies', 'fittings'],
    finish: ['a clean, even surface', 'a uniform finish', 'a residue-free face', 'a surface ready for the next step'],
  },
};

export const COMMON_WORDS: Record<string, readonly string[]> = {
  tool: ['a pulsed fiber laser', 'a short-pulse laser source', 'a scanning laser head', 'a handheld cleaning head', 'a galvo-scanned beam', 'a low-power pulsed source', 'an automated laser cell', 'a robot-mounted cleaning head', 'a compact nanosecond laser'],
  param: ['pulse energy', 'scan speed', 'spot overlap', 'repetition rate', 'line spacing', 'focal position', 'pulse duration', 'beam fluence', 'pass count', 'scan pattern', 'average power', 'hatch distance'],
  actor: ['operators', 'technicians', 'process engineers', 'maintenance crews', 'restoration teams', 'production staff', 'quality inspectors', 'fabricators', 'conservators', 'service engineers'],
  adv: ['gently', 'selectively', 'steadily', 'cleanly', 'precisely', 'evenly', 'gradually', 'consistently', 'carefully', 'reliably'],
  verb: ['removes', 'lifts', 'strips', 'clears', 'breaks up', 'vaporizes', 'loosens', 'takes off'],
  mechanism: ['rapid thermal expansion', 'selective ablation', 'a brief plasma shock', 'photothermal lift-off', 'vaporization of the top layer', 'photomechanical spallation', 'sudden heating of the film'],
  outcome: ['coating adhesion', 'weld quality', 'electrical contact', 'inspection accuracy', 'surface appearance', 'bond strength', 'corrosion protection', 'paint life', 'seal integrity', 'hygiene'],
  oldmethod: ['abrasive blasting', 'chemical stripping', 'solvent baths', 'wire brushing', 'grinding', 'sanding', 'caustic washing', 'pressure washing', 'scraping'],
  benefit: ['leaves no secondary waste', 'needs no blasting media', 'avoids chemical baths', 'spares the surrounding surface', 'cuts masking time', 'keeps the original profile', 'shortens downtime', 'reduces operator exposure', 'works without consumables', 'leaves the part dry'],
  check: ['a visual inspection under raking light', 'a water break test', 'a wipe test with a white cloth', 'a surface energy check', 'a close look under magnification', 'a tape adhesion test', 'a colour comparison with a reference patch'],
  safety: ['fume extraction', 'an enclosed beam path', 'laser safety eyewear', 'interlocked doors', 'a controlled access zone', 'a trained laser safety officer', 'warning signs at every entrance'],
  when: ['before welding', 'before painting', 'before bonding', 'during planned maintenance', 'between production runs', 'ahead of final inspection', 'before coating', 'during restoration work', 'before assembly'],
  opener: ['In practice,', 'On most jobs,', 'For production parts,', 'During setup,', 'On site,', 'In the workshop,', 'As a rule,', 'Typically,', 'In many shops,', 'For delicate parts,', 'Over time,', 'From experience,'],
  quality: ['clean', 'uniform', 'bright', 'undamaged', 'bond-ready', 'even', 'sound', 'consistent'],
  extraction: ['fume extraction at the nozzle', 'a local exhaust hood', 'a filtered extraction unit', 'an extraction arm close to the spot'],
  place: ['workshops', 'production lines', 'plant rooms', 'shipyards', 'site work', 'repair bays', 'service centres'],
  tail: [
    ', which keeps rework low',
    ', even on complex shapes',
    ', so the part can move on without delay',
    ', a point worth noting for {use}',
    ' without touching the surface',
    ', which matters most on visible faces',
    ', and the result is easy to repeat',
    ', which saves time on large areas',
  ],
};

/** Sentence templates. `{key}` draws from the word lists (capitalised key: capitalised word),
 * `{key2}` draws a second, different word, `{M}` is the material name, `[a|b]` picks one option. */
export const SENTENCES: readonly string[] = [
  '{Opener} {actor} [cleaning|working on|preparing] {M} [tune|adjust|balance] {param} and {param2} so the beam {verb} {contaminant} without {risk}.',
  '{Tool} {verb} {contaminant} from {M} through {mechanism}{tail}.',
  'Because {M} {trait}, {actor} keep {param} [low|modest|moderate] and add passes instead of power.',
  '{Contaminant} on {M} [can come off|will lift away|can be cleared] in thin layers, and each pass leaves the surface more {quality}.',
  '[Compared with|Next to|Unlike] {oldmethod}, laser cleaning of {M} {benefit} and {benefit2}.',
  'The [aim|goal|target] on {M} is {finish}, [checked|confirmed|verified] by {check} {when}.',
  '{M} {trait}, so [the first trial passes run|trials start|the first passes run] on a [hidden|spare|less visible] area.',
  '[Good|Reliable|Consistent] results on {M} depend on matching {param} to the [thickness|depth|nature] of the {contaminant} layer.',
  'When {contaminant} and {contaminant2} sit together on {M}, {actor} remove the outer layer first and then [refine|finish|even out] the surface.',
  '{Safety} and {safety2} stay in place whenever {M} is cleaned, since the removed layer turns into fine [particles|dust|fume].',
  '[Clean|Freshly cleaned|Properly cleaned] {M} improves {outcome}, which is why the process often runs {when}.',
  '{Actor} [value|prefer|trust] the method on {M} because it {benefit} while protecting {use}.',
  '[Too much|Excess|Careless] energy on {M} risks {risk}, so the [window|margin|gap] between cleaning and damage is found by test.',
  '{Use} made from {M} are [often|usually|routinely] cleaned [in place|where they stand|on site], without [dismantling|taking them apart] or masking.',
  '[The beam|Each pulse|The laser light] couples into {contaminant} more strongly than into {M} itself, [which keeps the process selective|so the base stays untouched|and that contrast does the work].',
  '[After cleaning|Once the passes are done|At the end], {M} shows {finish} and [no trace of|none of the former|no remaining] {contaminant}.',
  'For {use}, {actor} [favour|choose|rely on] {tool} because it reaches edges and recesses that brushes miss.',
  '[Adjusting|Changing|Raising or lowering] {param} changes how fast {contaminant} leaves {M} and how much heat reaches the base.',
  'On {M}, a steady scan with generous {param} gives a more {quality} result than a single heavy pass.',
  '[Records|Notes|Logs] of {param}, {param2} and the result for each batch of {M} help {actor} repeat good work.',
  '{Risk} is the main warning sign on {M}, and it usually means the pulses [are too close together|carry too much energy|overlap too heavily].',
  'Where {oldmethod} would wear {M} down, the laser {verb} only the {contaminant}.',
  'Cleaned {M} should be [coated|sealed|assembled|protected] [soon|promptly|within the shift], before [fresh contamination settles|dust and handling marks return|the surface picks up new films].',
  '{Actor} often start on {M} with a low setting and raise {param} until the layer of {contaminant} lifts {adv}.',
  'Fine [residue|debris|dust] from cleaning {M} is [captured|collected|drawn off] by {extraction}, so the [work area|cell|booth] stays [tidy|clean|safe].',
  'The [process|method|technique] suits {use} where {M} must keep its [exact shape and finish|original dimensions|fine detail|surface texture].',
  'Unlike {oldmethod}, the laser leaves {M} dry and ready for the next step [at once|straight away|without waiting].',
  'Thin films such as {contaminant} need only light passes on {M}, while thick build-up takes [patience|more passes|a slower scan].',
  '[Because|Since|As] the [method|process|beam] [is contact-free|never touches the part|works without contact], {M} [suffers|shows|picks up] no [scratches|tool marks|abrasion], [no embedded grit|no trapped media|no blasting dust] and no [chemical residue|solvent film|caustic traces].',
  '{Actor} judge the end point on {M} by [colour and texture|look and feel|the change in colour] rather than by [time|habit|a fixed recipe].',
  '[Well tuned|Carefully chosen|Balanced] settings let {tool} clear {contaminant} from {M} {adv}, leaving {finish}.',
  'The [finish|surface] [on|of] {M} after laser work supports {outcome} [over a long service life|for years|long after the job].',
  '{M} parts with {contaminant} and {contaminant2} come back to a {quality} state [in a single setup|in one visit|without rework].',
  '[Small|Quick|Simple] test patches on {M} show [quickly|early|at a glance] whether {param} needs to rise or fall.',
  '[Laser cleaning|A tuned beam|Careful laser work] spares {M} the {risk} that {oldmethod} can cause [when rushed|on a bad day|in a hurry].',
  '[In restoration and production alike|For new parts and old ones|In the shop and on site], {M} benefits from a method that {benefit}.',
  '[A dry, quiet|A clean, quiet|A dry, contact-free] process makes {M} [cleaning|preparation|surface work] easy to fit into busy {place}.',
  'The right {param} for {M} [depends on|follows from|is set by] the [layer to remove|thickness of the {contaminant}|kind of deposit], [not on the size of the part|not on the look of the part|not on habit].',
  '{Actor} [note|point out|remember] that {M} {trait}, and they plan scan paths around it.',
  'Removing {contaminant} from {M} restores {outcome} [without adding new material|with no added coating|and leaves the base as it was].',
  '{Opener} the laser {verb} {contaminant} {adv}, and {M} keeps {finish}.',
  'Each pass over {M} should overlap the last [slightly|a little|just enough] so no stripes of {contaminant} remain.',
  '[Dust|Fume|Smoke] from {contaminant} on {M} [is drawn away|is pulled off|is carried away] by {extraction}, which protects [both people and optics|the operator and the lens|staff and equipment].',
  'Shops that switched from {oldmethod} to laser work on {M} report [less rework|fewer rejects|cleaner edges], since the laser {benefit}.',
  'For {M}, {mechanism} does the work, so [no|little] force reaches the [base|parent] surface.',
  '[Good lighting|A steady hand|A fixed stand-off] helps {actor} keep the [spot|beam] on {M} at a constant distance.',
  '{M} that carries {contaminant} after storage often cleans up faster than [expected|the crew planned|a first look suggests].',
  'A final pass at lower {param} [evens out|smooths|refines] the look of {M} before {check}.',
];

export const QUESTIONS: readonly string[] = [
  'How does laser cleaning remove {contaminant} from {M}?',
  'Can laser cleaning damage {M}?',
  'Which settings work best on {M}?',
  'Is laser cleaning safe for {use} made of {M}?',
  'What does {M} look like after laser cleaning?',
  'How does laser cleaning of {M} compare with {oldmethod}?',
  'Why does {M} need careful control of {param}?',
  'What safety measures apply when cleaning {M}?',
  'How long does cleaned {M} stay clean?',
  'Can {contaminant} and {contaminant2} be removed from {M} in one pass?',
  'Does laser cleaning prepare {M} for {outcome}?',
  'What is the main risk when cleaning {M} with a laser?',
];

export const TITLES: readonly string[] = [
  'Laser Cleaning {M}',
  'How to Laser Clean {M}',
  'Removing {Contaminant} from {M}',
  '{M}: Laser Cleaning Guide',
  'Laser Cleaning {M} Without Damage',
  '{M} Surface Preparation by Laser',
  'Cleaning {M} with Pulsed Light',
  'Laser Care for {M}',
];

export const TITLE_SUFFIXES: readonly string[] = [
  ': Settings, Safety and Results',
  ' for {Use}',
  ' in Practice',
  ': What to Expect',
  ' and Surface Care',
];

export const HEADINGS: readonly string[] = [
  'Why {M} Responds Well to Laser Cleaning',
  'Typical Contaminants on {M}',
  'Choosing Settings for {M}',
  'Protecting the {M} Surface',
  'Checking the Cleaned Surface',
  'Safety When Cleaning {M}',
  'Where Laser Cleaning Pays Off',
  'Laser Cleaning Versus {Oldmethod}',
  'Preparing {M} for the Next Step',
  'Common Mistakes and How to Avoid Them',
  'Working on {Use}',
  'Reading the Surface',
];

export const ALT_TEXTS: readonly string[] = [
  'Close view of {M} before and after laser cleaning',
  '{M} surface with {contaminant} partly removed by a laser',
  'Laser cleaning head passing over {M}',
  'Cleaned {M} showing {finish}',
  'Test patch on {M} after a light laser pass',
];

export const TAG_WORDS: readonly string[] = [
  'laser cleaning', 'surface preparation', 'non-contact cleaning', 'ablation', 'pulsed laser', 'fiber laser',
  'coating removal', 'restoration', 'maintenance', 'industrial cleaning', 'selective removal', 'dry cleaning',
];

/** Short sentences that fill the gap when a longer one would break a maximum length. */
export const SHORT_SENTENCES: readonly string[] = [
  'The result is {finish}.',
  '{Actor} check it with {check}.',
  'No chemicals touch {M}.',
  '{M} stays dry throughout.',
  'Test patches come first.',
  'Nothing abrasive touches {M}.',
  'Fumes are captured at the source.',
  '{Safety} stays in place.',
  'The method {benefit}.',
  '{M} keeps its original profile.',
  'Each pass is light and even.',
  '{Contaminant} lifts away cleanly.',
  'Setup takes little time.',
  'Masking is rarely needed.',
  'It fits well {when}.',
  '[Gentle|Light|Steady] passes work best.',
];
