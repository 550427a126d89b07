// Child process of the planning benchmark: loads a project, plans it once, prints the figures.
import { planFor } from '../integration/batch.ts';
import { parseOptions } from '../integration/config.ts';
import { openProject } from '../integration/project.ts';

const root = process.argv[2]!;
const t0 = performance.now();
const project = await openProject(root, parseOptions({}), undefined);
const t1 = performance.now();
const plan = await planFor(project, {});
const t2 = performance.now();
process.stdout.write(
  JSON.stringify({
    materials: project.catalog.materials.length,
    components: plan.items.length,
    fresh: plan.items.filter((i) => i.status === 'fresh').length,
    loadCatalogMs: Number((t1 - t0).toFixed(1)),
    planMs: Number((t2 - t1).toFixed(1)),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
