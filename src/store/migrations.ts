/** Schema changes, applied in order; the database's user_version says how many ran. */
export const MIGRATIONS: readonly string[] = [
	`CREATE TABLE jobs (
		id TEXT PRIMARY KEY,
		state TEXT NOT NULL,
		guild_id TEXT NOT NULL,
		channel_id TEXT NOT NULL,
		user_id TEXT NOT NULL,
		interaction_id TEXT NOT NULL,
		application_id TEXT NOT NULL,
		interaction_token TEXT NOT NULL,
		interaction_at INTEGER NOT NULL,
		deferred INTEGER NOT NULL DEFAULT 0,
		token_expired INTEGER NOT NULL DEFAULT 0,
		attachment_size_limit INTEGER NOT NULL,
		progress_message_id TEXT,
		model TEXT NOT NULL,
		request_id TEXT,
		sources TEXT NOT NULL,
		image_url TEXT,
		mask_url TEXT,
		depth_maps_url TEXT,
		depth_frames INTEGER,
		notes TEXT,
		motion INTEGER NOT NULL,
		noise REAL NOT NULL,
		seed INTEGER NOT NULL,
		steps INTEGER NOT NULL,
		delivered_message_id TEXT,
		delivered_via TEXT,
		error TEXT,
		retry_of TEXT,
		created_at INTEGER NOT NULL,
		updated_at INTEGER NOT NULL,
		submitted_at INTEGER,
		finished_at INTEGER
	);
	CREATE INDEX jobs_unfinished ON jobs (created_at) WHERE state NOT IN ('delivered', 'failed', 'cancelled');
	CREATE INDEX jobs_by_user ON jobs (user_id, created_at);
	CREATE INDEX jobs_by_guild ON jobs (guild_id, created_at);`,
	// Server settings, opt-outs, and what a job came from (reactions and context menus have a post).
	`CREATE TABLE guild_settings (
		guild_id TEXT PRIMARY KEY,
		settings TEXT NOT NULL,
		updated_at INTEGER NOT NULL
	);
	CREATE TABLE optouts (
		user_id TEXT PRIMARY KEY,
		created_at INTEGER NOT NULL
	);
	ALTER TABLE jobs ADD COLUMN trigger TEXT NOT NULL DEFAULT 'command';
	ALTER TABLE jobs ADD COLUMN source_message_id TEXT;
	ALTER TABLE jobs ADD COLUMN source_author_id TEXT;
	ALTER TABLE jobs ADD COLUMN fps INTEGER;
	ALTER TABLE jobs ADD COLUMN cost_usd REAL NOT NULL DEFAULT 0;
	CREATE INDEX jobs_by_guild_cost ON jobs (guild_id, submitted_at) WHERE cost_usd > 0;`,
	// One state vocabulary and no write-only columns: `deferred`, `retry_of` and `delivered_via` were
	// written and never read. Notes become data (JSON) that the views word; old text notes are kept as text.
	`ALTER TABLE jobs DROP COLUMN deferred;
	ALTER TABLE jobs DROP COLUMN retry_of;
	ALTER TABLE jobs DROP COLUMN delivered_via;
	UPDATE jobs SET notes = json_array(json_object('kind', 'text', 'text', notes)) WHERE notes IS NOT NULL;`,
	// Charge only for what was made (produced_at: fal handed over the video); time out on time watched
	// at fal, not on downtime (fal_watch_ms); a delivery through the interaction is recorded before it
	// is tried, so a restart knows where to look (delivery_route).
	`ALTER TABLE jobs ADD COLUMN produced_at INTEGER;
	ALTER TABLE jobs ADD COLUMN fal_watch_ms INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE jobs ADD COLUMN delivery_route TEXT;
	UPDATE jobs SET produced_at = finished_at WHERE state = 'delivered';
	CREATE INDEX jobs_by_guild_produced ON jobs (guild_id, produced_at) WHERE produced_at IS NOT NULL;`,
	// fal's webhooks name a job only by its request id.
	`CREATE INDEX jobs_by_request ON jobs (request_id) WHERE request_id IS NOT NULL;`,
	// Models beyond SVD: the member's prompt, duration, resolution… (JSON, as given) and an end frame.
	`ALTER TABLE jobs ADD COLUMN choices TEXT NOT NULL DEFAULT '{}';
	ALTER TABLE jobs ADD COLUMN end_image_url TEXT;`,
	// User installs: a job in a server or group DM the bot is not in reaches its member only through
	// the interaction (and then their DMs).
	`ALTER TABLE jobs ADD COLUMN reach TEXT NOT NULL DEFAULT 'channel';`,
	// The member's language: a job's card and video are worded in it, after restarts too. Jobs from
	// before were all worded in English.
	`ALTER TABLE jobs ADD COLUMN locale TEXT NOT NULL DEFAULT 'en-US';`,
	// fal's queue takes no idempotency key: each submit is announced before it is sent, so a job
	// whose submit a crash interrupted is known, and fal's webhook can name it (jobs/interrupted-submit.ts).
	`ALTER TABLE jobs ADD COLUMN submit_attempt TEXT;
	ALTER TABLE jobs ADD COLUMN submit_attempt_at INTEGER;`,
];
