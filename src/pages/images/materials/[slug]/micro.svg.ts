import type { APIRoute, GetStaticPaths } from 'astro';
import { loadMaterialPages, type MaterialPage } from '../../../../lib/material-pages.ts';
import { microSvg } from '../../../../lib/figures/micro.ts';
import { svgResponse } from '../../../../lib/figures/svg.ts';

export const getStaticPaths = (async () => {
  const pages = await loadMaterialPages();
  return pages.map((page) => ({ params: { slug: page.material.slug }, props: { page } }));
}) satisfies GetStaticPaths;

export const GET: APIRoute<{ page: MaterialPage }> = ({ props }) => svgResponse(microSvg(props.page));
