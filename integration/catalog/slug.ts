/** Kebab-case slug of a material name: "Glass Fiber Reinforced Polymers GFRP" -> "glass-fiber-reinforced-polymers-gfrp". */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
