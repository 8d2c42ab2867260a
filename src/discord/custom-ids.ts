/** Buttons on progress cards and results: the job id rides in the custom id, so they outlive restarts. */
export const BUTTON_ACTIONS = ['cancel', 'retry', 'reroll', 'more', 'less', 'loop', 'delete'] as const;
export type ButtonAction = (typeof BUTTON_ACTIONS)[number];

export const customId = (action: ButtonAction, jobId: string): string => `animate:${action}:${jobId}`;

export function parseCustomId(id: string): { action: ButtonAction; jobId: string } | undefined {
	const match = /^animate:([a-z]+):([\w-]{1,64})$/.exec(id);
	const action = match?.[1] as ButtonAction | undefined;
	return match && action && BUTTON_ACTIONS.includes(action) ? { action, jobId: match[2]! } : undefined;
}
