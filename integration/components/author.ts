import { z } from 'zod';
import type { Author } from '../catalog/schema.ts';
import { defineComponent } from './define.ts';

const schema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  expertise: z.array(z.string()),
  bio: z.string(),
  sampleProfile: z.boolean(),
});
export type AuthorCard = z.infer<typeof schema>;

export default defineComponent({
  name: 'author',
  kind: 'static',
  version: 1,
  dependsOn: [],
  format: 'yaml',
  schema,
  inputs: ({ author }): Author => author,
  build: ({ inputs }) => ({
    id: inputs.id,
    name: inputs.name,
    role: inputs.role,
    expertise: inputs.expertise,
    bio: inputs.bio,
    sampleProfile: inputs.sampleProfile,
  }),
});
