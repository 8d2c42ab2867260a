import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Animator } from './animator.js';

/** Everything a command or event handler may use, built once in the composition root. */
export interface Services {
	readonly config: Config;
	readonly log: Logger;
	readonly animator: Animator;
	/** True once shutdown began: new interactions are answered with "restarting". */
	readonly stopping: () => boolean;
}
