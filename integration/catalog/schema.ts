import { z } from 'zod';
import {
  LASER_PARAMETER_DEFINITIONS,
  PROPERTY_DEFINITIONS,
  type LaserParameterId,
  type PropertyId,
} from './properties.ts';

/** One measured quantity: a single value or a range, always with its unit. */
function quantity(definition: { units: readonly string[]; min: number; max: number }) {
  const unit = z.enum(definition.units as [string, ...string[]], {
    error: (issue) =>
      `unknown unit ${JSON.stringify(issue.input)}; use one of ${definition.units.map((u) => JSON.stringify(u)).join(', ')}`,
  });
  const bounded = z
    .number()
    .refine((n) => Number.isFinite(n), 'must be a finite number')
    .refine((n) => n >= definition.min && n <= definition.max, {
      message: `must lie between ${definition.min} and ${definition.max}`,
    });
  return z
    .strictObject({ value: bounded.optional(), min: bounded.optional(), max: bounded.optional(), unit })
    .superRefine((q, ctx) => {
      const hasValue = q.value !== undefined;
      const hasRange = q.min !== undefined && q.max !== undefined;
      if (hasValue === hasRange || (!hasRange && (q.min !== undefined || q.max !== undefined))) {
        ctx.addIssue({ code: 'custom', message: 'give either `value` or both `min` and `max`' });
      } else if (hasRange && q.min! > q.max!) {
        ctx.addIssue({ code: 'custom', message: '`min` is larger than `max`', path: ['min'] });
      }
    });
}

export type Quantity = { value?: number; min?: number; max?: number; unit: string };

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

const propertiesShape = Object.fromEntries(
  Object.entries(PROPERTY_DEFINITIONS).map(([id, definition]) => [id, quantity(definition).optional()]),
) as Record<PropertyId, z.ZodOptional<ReturnType<typeof quantity>>>;

const laserShape = Object.fromEntries(
  Object.entries(LASER_PARAMETER_DEFINITIONS).map(([id, definition]) => [
    id,
    id === 'scanSpeed' ? quantity(definition).optional() : quantity(definition),
  ]),
) as Record<LaserParameterId, ReturnType<typeof quantity>>;

export const propertiesSchema = z
  .strictObject(propertiesShape)
  .refine((p) => p.density !== undefined, { message: 'density is required', path: ['density'] })
  .refine((p) => p.thermalConductivity !== undefined, {
    message: 'thermalConductivity is required',
    path: ['thermalConductivity'],
  })
  .refine((p) => p.meltingPoint !== undefined || p.decompositionPoint !== undefined, {
    message: 'give meltingPoint or decompositionPoint',
    path: ['meltingPoint'],
  });

export const laserSchema = z.strictObject({
  laserType: text(80),
  ...laserShape,
});

export const materialSchema = z.strictObject({
  // The name becomes a slug, a file name and page text: no path parts, no control characters,
  // and no invisible or text-direction characters that would show a different name than it is.
  name: text(80).refine((name) => !/[\/\\\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]|\.\./.test(name), {
    message: 'must not contain slashes, "..", or control, invisible or text-direction characters',
  }),
  formula: text(60).optional(),
  subcategory: text(60),
  description: text(400),
  author: text(60),
  properties: propertiesSchema,
  laser: laserSchema,
  applications: z.array(z.strictObject({ industry: text(60), detail: text(240) })).min(2).max(6),
  contaminants: z.array(text(80)).min(2).max(8),
  standards: z.array(z.strictObject({ code: text(40), title: text(160) })).min(1).max(8),
});

export const categoryFileSchema = z.strictObject({
  category: text(40),
  label: text(60),
  description: text(400),
  materials: z.array(z.unknown()).min(1, 'lists no materials'),
});

export const authorSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
  name: text(80),
  role: text(120),
  sampleProfile: z.literal(true, { error: 'authors shipped here are sample profiles: set `sampleProfile: true`' }),
  expertise: z.array(text(80)).min(1).max(8),
  voice: text(400),
  bio: text(600),
});

export const authorsFileSchema = z.strictObject({ authors: z.array(z.unknown()).min(1) });

export type MaterialRecord = z.infer<typeof materialSchema>;
export type Author = z.infer<typeof authorSchema>;
export type LaserParameters = z.infer<typeof laserSchema>;
export type Properties = z.infer<typeof propertiesSchema>;
