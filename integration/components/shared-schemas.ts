import { z } from 'zod';
import { LASER_PARAMETER_IDS, PROPERTY_IDS, type LaserParameterId, type PropertyId } from '../catalog/properties.ts';
import type { LaserParameters, Properties } from '../catalog/schema.ts';
import { formatQuantity, laserLabel, propertyLabel } from './format.ts';

/** A catalogue quantity as stored in a component: the numbers, the unit, and how it is written. */
export const storedQuantitySchema = z.strictObject({
  label: z.string(),
  value: z.number().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  unit: z.string(),
  display: z.string(),
});
export type StoredQuantity = z.infer<typeof storedQuantitySchema>;

export const storedPropertiesSchema = z.partialRecord(z.enum(PROPERTY_IDS as [PropertyId, ...PropertyId[]]), storedQuantitySchema);
export const storedLaserSchema = z.strictObject({
  laserType: z.string(),
  parameters: z.partialRecord(z.enum(LASER_PARAMETER_IDS as [LaserParameterId, ...LaserParameterId[]]), storedQuantitySchema),
});

export function storeProperties(properties: Properties): Record<string, StoredQuantity> {
  const out: Record<string, StoredQuantity> = {};
  for (const id of PROPERTY_IDS) {
    const q = properties[id];
    if (q) out[id] = { label: propertyLabel(id), ...q, display: formatQuantity(q) };
  }
  return out;
}

export function storeLaser(laser: LaserParameters): z.infer<typeof storedLaserSchema> {
  const parameters: Record<string, StoredQuantity> = {};
  for (const id of LASER_PARAMETER_IDS) {
    const q = laser[id];
    if (q) parameters[id] = { label: laserLabel(id), ...q, display: formatQuantity(q) };
  }
  return { laserType: laser.laserType, parameters };
}

export const imageSchema = z.strictObject({ src: z.string(), alt: z.string().min(10).max(160) });

/** Prose fields: one line, no markup. */
export const line = (min: number, max: number) => z.string().trim().min(min).max(max).regex(/^[^\n<>]*$/, 'must be one line of plain text');
export const lowercaseTag = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z][a-z0-9 -]*$/, 'must be lowercase words');
