import { DraftRejectedError, type DraftRequest, type DraftResult, type Provider } from './types.ts';

export const OFFLINE_MODEL = 'offline-writer-1';

/**
 * The embedded default: composes every llm component from the catalogue data with the
 * component's own deterministic writer. No network, no key; labelled `offline` in provenance so
 * a later run with a real provider can upgrade these drafts on request.
 */
export function offlineProvider(): Provider {
  return {
    id: 'offline',
    model: OFFLINE_MODEL,
    mode: 'offline',
    async write(request: DraftRequest): Promise<DraftResult> {
      const llm = request.component.llm!;
      const draft = llm.schema.parse(llm.offline(request.context));
      const rejected = request.review?.(draft);
      if (rejected) throw new DraftRejectedError(`the offline draft was rejected: ${rejected}`, 0, { promptTokens: 0, completionTokens: 0, cachedTokens: 0 });
      return { draft, usage: { promptTokens: 0, completionTokens: 0, cachedTokens: 0 }, model: OFFLINE_MODEL, calls: 0 };
    },
  };
}
