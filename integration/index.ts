export { default, INTEGRATION_NAME } from './astro.ts';
export type { BatchgenOptions } from './config.ts';
export { defineComponent } from './components/define.ts';
export type { ComponentDefinition } from './components/define.ts';
