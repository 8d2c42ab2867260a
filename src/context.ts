import type { Config } from './config.js';
import type { JobEngine } from './jobs/job-engine.js';
import type { JobStore, SettingsStore } from './jobs/ports.js';
import type { Logger } from './logger.js';

/** Everything a command or event handler may use, built once in the composition root. */
export interface Services {
	readonly config: Config;
	readonly log: Logger;
	readonly engine: JobEngine;
	readonly jobs: JobStore;
	readonly settings: SettingsStore;
	/** True once shutdown began: new interactions are answered with "restarting". */
	readonly stopping: () => boolean;
}
