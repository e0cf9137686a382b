/** Resolves at `epochMs` (Date.now() time): load and facilitator steps are planned in wall-clock moments shared by every process. */
export const sleepUntil = (epochMs: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, epochMs - Date.now())));
