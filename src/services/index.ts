import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Animator } from './animator.js';
import type { SettingsStore } from './guild-settings.js';
import type { JobStore } from './job-store.js';

/** Everything a command or event handler may use, built once in the composition root. */
export interface Services {
	readonly config: Config;
	readonly log: Logger;
	readonly animator: Animator;
	readonly jobs: JobStore;
	readonly settings: SettingsStore;
	/** True once shutdown began: new interactions are answered with "restarting". */
	readonly stopping: () => boolean;
}
