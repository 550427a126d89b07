import { catalogCollection, componentCollection } from '../integration/collections.ts';
import frontmatter from '../integration/components/frontmatter.ts';
import metatags from '../integration/components/metatags.ts';
import propertiestable from '../integration/components/propertiestable.ts';
import bullets from '../integration/components/bullets.ts';
import caption from '../integration/components/caption.ts';
import text from '../integration/components/text.ts';
import table from '../integration/components/table.ts';
import tags from '../integration/components/tags.ts';
import jsonld from '../integration/components/jsonld.ts';
import author from '../integration/components/author.ts';

// One collection per component, typed by that component's own schema.
export const collections = {
  materials: catalogCollection(),
  frontmatter: componentCollection(frontmatter),
  metatags: componentCollection(metatags),
  propertiestable: componentCollection(propertiestable),
  bullets: componentCollection(bullets),
  caption: componentCollection(caption),
  text: componentCollection(text),
  table: componentCollection(table),
  tags: componentCollection(tags),
  jsonld: componentCollection(jsonld),
  author: componentCollection(author),
};
