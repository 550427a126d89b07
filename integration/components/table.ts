import { z } from 'zod';
import type { LaserParameters, Properties } from '../catalog/schema.ts';
import { defineComponent } from './define.ts';
import { storeLaser, storeProperties } from './shared-schemas.ts';

const tableSchema = z.strictObject({
  id: z.string(),
  caption: z.string(),
  columns: z.array(z.string()).min(2),
  rows: z.array(z.array(z.string())).min(1),
});
const schema = z.strictObject({ tables: z.array(tableSchema).length(3) });
export type TechnicalTables = z.infer<typeof schema>;

interface Inputs {
  name: string;
  properties: Properties;
  laser: LaserParameters;
  standards: { code: string; title: string }[];
}

export default defineComponent({
  name: 'table',
  kind: 'static',
  version: 1,
  dependsOn: [],
  format: 'yaml',
  schema,
  inputs: ({ material }): Inputs => ({
    name: material.name,
    properties: material.properties,
    laser: material.laser,
    standards: material.standards,
  }),
  build: ({ inputs }) => {
    const laser = storeLaser(inputs.laser);
    return {
      tables: [
        {
          id: 'laser-parameters',
          caption: `Laser cleaning parameters for ${inputs.name}`,
          columns: ['Parameter', 'Value', 'Unit'],
          rows: [
            ['Laser type', laser.laserType, '—'],
            ...Object.values(laser.parameters).map((q) => [q.label, q.display.replace(` ${q.unit}`, ''), q.unit]),
          ],
        },
        {
          id: 'physical-properties',
          caption: `Physical properties of ${inputs.name}`,
          columns: ['Property', 'Value', 'Unit'],
          rows: Object.values(storeProperties(inputs.properties)).map((q) => [q.label, q.display.replace(` ${q.unit}`, ''), q.unit]),
        },
        {
          id: 'standards',
          caption: `Standards that apply to laser cleaning ${inputs.name}`,
          columns: ['Standard', 'Title'],
          rows: inputs.standards.map((s) => [s.code, s.title]),
        },
      ],
    };
  },
});
