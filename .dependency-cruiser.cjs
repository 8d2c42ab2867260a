// dependency-cruiser: the layering of src/ (`npm run lint:deps`).
//
//   domain   pure logic: imports only domain and node: builtins
//   jobs     the job pipeline: domain, jobs, builtins, and type-only logger/config
//   fal, media, store, http, queue   adapters: domain and jobs/ports (+ their own folder and their library)
//   discord  Discord plumbing: never commands/events nor the adapters
//   commands, events    the entry points: imported only by each other and the composition root
//                       (src/bot.ts, src/index.ts)
//
// Rules on folders that do not exist yet simply match nothing, so they take effect as the folders
// appear. Every dependency is resolved (imports like './foo.js' resolve to ./foo.ts) and
// `import type` counts like any other import.

/** Matches a package by name, resolved into node_modules (or its @types) or left unresolved. */
function pkg(...names) {
	const alternatives = names.map((name) => name.replace(/[.]/g, '\\.')).join('|');
	return `(^|/)node_modules/(@types/)?(${alternatives})/|^(${alternatives})(/|$)`;
}

const DISCORD = pkg('discord.js', '@discordjs/[^/]+');
const FAL = pkg('@fal-ai/client');
const SQLITE = pkg('better-sqlite3');
const POSTGRES = pkg('pg');
const MEDIA_LIBS = pkg('sharp', 'fflate');
const PROM = pkg('prom-client');
const QUEUE_LIBS = pkg('bullmq', 'ioredis');

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
	forbidden: [
		// --- whole-tree hygiene ---------------------------------------------------------------
		{
			name: 'no-circular',
			severity: 'error',
			comment: 'Circular dependencies make the layering meaningless and module init order fragile.',
			from: { path: '^src/' },
			to: { circular: true },
		},
		{
			name: 'no-unresolvable',
			severity: 'error',
			comment: 'Every import in src/ must resolve (a .js specifier resolves to its .ts file).',
			from: { path: '^src/' },
			to: { couldNotResolve: true },
		},
		{
			name: 'src-not-to-test-or-bench',
			severity: 'error',
			comment: 'Production code never imports test, fake-service or benchmark code.',
			from: { path: '^src/' },
			to: { path: '^(test|fakes|bench)/' },
		},

		// --- layers ---------------------------------------------------------------------------
		{
			name: 'domain-is-pure',
			severity: 'error',
			comment: 'src/domain may import only src/domain and node: builtins: no libraries, nothing outside domain.',
			from: { path: '^src/domain/' },
			to: { pathNot: '^src/domain/', dependencyTypesNot: ['core'] },
		},
		{
			name: 'jobs-only-domain-and-jobs',
			severity: 'error',
			comment:
				'src/jobs may import only src/domain, src/jobs, node: builtins and (type-only) src/logger.ts / src/config.ts: ' +
				'no libraries, no adapters (fal, media, store), no discord, commands or events.',
			from: { path: '^src/jobs/' },
			to: {
				pathNot: ['^src/(domain|jobs)/', '^src/(logger|config)\\.ts$'],
				dependencyTypesNot: ['core'],
			},
		},
		{
			name: 'jobs-logger-config-type-only',
			severity: 'error',
			comment: 'src/jobs may use src/logger.ts and src/config.ts for their types only (`import type`).',
			from: { path: '^src/jobs/' },
			to: { path: '^src/(logger|config)\\.ts$', dependencyTypesNot: ['type-only'] },
		},
		{
			name: 'adapters-only-domain-and-ports',
			severity: 'error',
			comment:
				'Adapters (src/fal, src/media, src/store, src/http, src/queue) may import from src/ only src/domain, src/jobs/ports and their own folder: ' +
				'never discord, commands, events, the rest of jobs, or each other.',
			from: { path: '^src/(fal|media|store|http|queue)/' },
			to: {
				path: '^src/',
				pathNot: ['^src/domain/', '^src/jobs/ports(/|\\.ts$)', '^src/$1/'],
			},
		},
		{
			name: 'discord-not-to-entry-points-or-adapters',
			severity: 'error',
			comment: 'src/discord must not import src/commands, src/events, src/store, src/fal or src/media.',
			from: { path: '^src/discord/' },
			to: { path: '^src/(commands|events|store|fal|media)/' },
		},
		{
			name: 'entry-points-only-from-composition-root',
			severity: 'error',
			comment:
				'src/commands and src/events are imported only by src/commands, src/events (events dispatch to commands) ' +
				'and the composition root (src/bot.ts, src/index.ts).',
			from: { path: '^src/', pathNot: ['^src/(commands|events)/', '^src/(bot|index)\\.ts$'] },
			to: { path: '^src/(commands|events)/' },
		},

		// --- which folder may use which library -----------------------------------------------
		{
			name: 'discord-js-only-in-discord-layers',
			severity: 'error',
			comment:
				'discord.js may be imported only in src/discord, src/commands, src/events and the composition root (src/bot.ts, src/observability.ts).',
			from: { path: '^src/', pathNot: ['^src/(discord|commands|events)/', '^src/(bot|observability)\\.ts$'] },
			to: { path: DISCORD },
		},
		{
			name: 'fal-client-only-in-fal',
			severity: 'error',
			comment: '@fal-ai/client may be imported only in src/fal.',
			from: { path: '^src/', pathNot: '^src/fal/' },
			to: { path: FAL },
		},
		{
			name: 'better-sqlite3-only-in-store',
			severity: 'error',
			comment: 'better-sqlite3 may be imported only in src/store.',
			from: { path: '^src/', pathNot: '^src/store/' },
			to: { path: SQLITE },
		},
		{
			name: 'pg-only-in-store',
			severity: 'error',
			comment: 'pg (PostgreSQL) may be imported only in src/store.',
			from: { path: '^src/', pathNot: '^src/store/' },
			to: { path: POSTGRES },
		},
		{
			name: 'sharp-fflate-only-in-media',
			severity: 'error',
			comment: 'sharp and fflate may be imported only in src/media.',
			from: { path: '^src/', pathNot: '^src/media/' },
			to: { path: MEDIA_LIBS },
		},
		{
			name: 'queue-libs-only-in-queue',
			severity: 'error',
			comment: 'bullmq and ioredis may be imported only in src/queue; the engine schedules through the JobScheduler port.',
			from: { path: '^src/', pathNot: '^src/queue/' },
			to: { path: QUEUE_LIBS },
		},
		{
			name: 'prom-client-only-in-http',
			severity: 'error',
			comment: 'prom-client may be imported only in src/http; the rest reports through the Metrics object.',
			from: { path: '^src/', pathNot: '^src/http/' },
			to: { path: PROM },
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		exclude: { path: '^(dist|coverage|scratch)/' },
		// Count `import type` / `export type` dependencies too (they vanish when compiled).
		tsPreCompilationDeps: true,
		tsConfig: { fileName: 'tsconfig.json' },
		// NodeNext: `import './foo.js'` points at ./foo.ts. The options schema has no room for
		// enhanced-resolve's `extensionAlias`; dependency-cruiser does this itself instead: a .js
		// (.mjs, .cjs) specifier that does not exist on disk is retried as .ts (.mts, .cts). The
		// no-unresolvable rule above fails the run should that ever stop working.
		enhancedResolveOptions: {
			extensions: ['.ts', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.json', '.node'],
			exportsFields: ['exports'],
			conditionNames: ['import', 'require', 'node', 'default', 'types'],
			mainFields: ['module', 'main', 'types', 'typings'],
		},
		skipAnalysisNotInRules: true,
		reporterOptions: {
			text: { highlightFocused: true },
		},
	},
};
