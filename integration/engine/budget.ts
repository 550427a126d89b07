import type { Usage } from '../store/provenance.ts';
import type { GateStats } from './gate.ts';

export interface Budget {
  maxCalls?: number | undefined;
  maxTokens?: number | undefined;
  maxCostUsd?: number | undefined;
}

/** Whether a budget sets any cap at all. */
export function capped(budget: Budget | undefined): budget is Budget {
  return budget !== undefined && (budget.maxCalls !== undefined || budget.maxTokens !== undefined || budget.maxCostUsd !== undefined);
}

/** Thrown by the call gate when a call would pass the hard cap; the item is left for a later run. */
export class BudgetSpentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetSpentError';
  }
}

/**
 * The engine's stop rule for a budget: once calls, tokens or cost reach a cap, nothing new is
 * started (calls in flight finish). Calls are counted as they start, at the gate; tokens and
 * cost as answers arrive.
 */
export function budgetStop(budget: Budget, gate: GateStats | undefined, costOf?: (usage: Usage) => number) {
  return ({ calls, usage }: { calls: number; usage: Usage }): string | undefined => {
    const made = gate ? gate.callsStarted : calls;
    if (budget.maxCalls !== undefined && made >= budget.maxCalls) return `the call budget of ${budget.maxCalls} was reached`;
    const tokens = usage.promptTokens + usage.completionTokens;
    if (budget.maxTokens !== undefined && tokens >= budget.maxTokens) return `the token budget of ${budget.maxTokens} was reached`;
    if (budget.maxCostUsd !== undefined && costOf) {
      const cost = costOf(usage);
      if (cost >= budget.maxCostUsd) return `the cost budget of $${budget.maxCostUsd} was reached ($${cost.toFixed(4)})`;
    }
    return undefined;
  };
}
