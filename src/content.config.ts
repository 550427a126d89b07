import { builtinComponents } from '../integration/components/index.ts';
import { catalogCollection, componentCollections } from '../integration/collections.ts';

export const collections = {
  materials: catalogCollection(),
  ...componentCollections(builtinComponents),
};
