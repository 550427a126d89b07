import type { Catalog, Material } from '../catalog/load.ts';

/** What the checks see of one component of one material, just before it is written. */
export interface CheckContext {
  /** The catalogue record of the material. */
  material: Material;
  /** All materials and authors, for the names that must not appear in this material's content. */
  catalog: Catalog;
  component: string;
  /** The composed content as it would be stored (for `text` it has the Markdown in `body`). */
  data: Record<string, unknown>;
  /** The current content of the same material's other components, by component name, where present. */
  related: Record<string, Record<string, unknown>>;
}

/** One reason the content may not be written, for a person and for a model being asked again. */
export interface CheckProblem {
  /** Which check found it: "numbers", "other-materials", "placeholders", "invisible-characters", "markup", "author", "consistency". */
  check: string;
  /** JSON path of the field, e.g. "bullets[2].text". */
  field: string;
  /** What is wrong and what was expected, starting with the field. */
  message: string;
}
