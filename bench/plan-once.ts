// Child process of the planning benchmark: loads a project, plans it once, prints the figures.
// Module loading is left out (it is the same for every run); opening the project (catalogue)
// and planning are what a `batchgen --status` waits for, so their total is the figure.
import { planFor } from '../integration/batch.ts';
import { parseOptions } from '../integration/config.ts';
import { openProject } from '../integration/project.ts';

const root = process.argv[2]!;
const t0 = performance.now();
const project = await openProject(root, parseOptions({}), undefined);
const t1 = performance.now();
const plan = await planFor(project, {});
const t2 = performance.now();
const ms = (value: number) => Number(value.toFixed(1));
process.stdout.write(
  JSON.stringify({
    materials: project.catalog.materials.length,
    components: plan.items.length,
    fresh: plan.items.filter((i) => i.status === 'fresh').length,
    loadCatalogMs: ms(t1 - t0),
    planMs: ms(t2 - t1),
    totalMs: ms(t2 - t0),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
