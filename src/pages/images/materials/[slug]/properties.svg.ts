import type { APIRoute, GetStaticPaths } from 'astro';
import { loadMaterialPages, type MaterialPage } from '../../../../lib/material-pages.ts';
import { propertyRangesSvg } from '../../../../lib/figures/property-ranges.ts';
import { svgResponse } from '../../../../lib/figures/svg.ts';

interface Props {
  page: MaterialPage;
  category: MaterialPage[];
  all: MaterialPage[];
}

export const getStaticPaths = (async () => {
  const all = await loadMaterialPages();
  return all.map((page) => ({
    params: { slug: page.material.slug },
    props: { page, category: all.filter((p) => p.material.category === page.material.category), all },
  }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<Props> = ({ props }) => svgResponse(propertyRangesSvg(props.page, props.category, props.all));
